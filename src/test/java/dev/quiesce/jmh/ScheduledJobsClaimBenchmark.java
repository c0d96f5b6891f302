package dev.quiesce.jmh;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore;

/**
 * What jobs waiting for later cost the claim path: the store's claim (which first promotes due SCHEDULED jobs,
 * then takes QUEUED ones by priority and age) with none stored for later, and with a million, on a real SQLite
 * file. Each operation stores 16 jobs due now, claims them and records their outcomes, as
 * {@link StoreBenchmark#claimAndRecordSixteen} does. The target: the million costs the claim nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScheduledJobsClaimBenchmark {

    @Param({ "0", "1000000" })
    public int scheduledForLater;

    private final Clock clock = Clock.systemUTC();
    private final JobIds ids = new JobIds(clock);
    private BenchmarkStore sqlite;
    private JobStore store;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        sqlite = BenchmarkStore.sqlite();
        store = sqlite.jobs();
        sqlite.fill(ids, clock, JobStatus.SCHEDULED, scheduledForLater,
                clock.instant().plus(Duration.ofDays(365)).toEpochMilli());
    }

    @TearDown(Level.Trial)
    public void close() {
        sqlite.close();
    }

    @Benchmark
    @Threads(1)
    public int claimAndRecordSixteen() {
        for (int i = 0; i < 16; i++) {
            store.insert(new JobStore.NewJob(ids.next(), "sleep", "{\"durationMs\":0}", null, null, clock.instant()),
                    Integer.MAX_VALUE);
        }
        return sqlite.claimAndRecord(16, BenchmarkStore::succeeded).rows();
    }
}
