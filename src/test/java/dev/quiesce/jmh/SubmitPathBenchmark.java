package dev.quiesce.jmh;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.jobs.types.StrictJson;
import dev.quiesce.jobs.types.ValidJob;
import dev.quiesce.testing.Jobs;
import tools.jackson.databind.JsonNode;

/**
 * The CPU part of {@code POST /jobs} before the store: strict parse, type validation and canonical params, and the
 * job id.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SubmitPathBenchmark {

    private static final byte[] BODY = "{\"type\":\"sleep\",\"params\":{\"durationMs\":0}}".getBytes();
    private static final byte[] FANOUT = ("{\"type\":\"fanout\",\"params\":{\"tasks\":["
            + "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}},"
            + "{\"type\":\"compute\",\"params\":{\"input\":\"x\",\"iterations\":10}}]}}").getBytes();

    private final JobTypes types = Jobs.catalog();
    private final JobIds ids = new JobIds(Clock.systemUTC());

    @Benchmark
    public JsonNode parseBody() {
        return StrictJson.MAPPER.readTree(BODY);
    }

    @Benchmark
    public ValidJob parseAndValidateSleep() {
        JsonNode body = StrictJson.MAPPER.readTree(BODY);
        return types.validate(body.get("type").asString(), body.get("params"));
    }

    /** Ids from 4 threads at once, as request threads make them (one shared random source used to serialise them). */
    @Benchmark
    @Threads(4)
    public String nextIdFromFourThreads() {
        return ids.next();
    }

    @Benchmark
    public ValidJob parseAndValidateFanout() {
        JsonNode body = StrictJson.MAPPER.readTree(FANOUT);
        return types.validate(body.get("type").asString(), body.get("params"));
    }
}
