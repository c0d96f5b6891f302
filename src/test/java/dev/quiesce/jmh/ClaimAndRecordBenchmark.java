package dev.quiesce.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.ProcessSupport;

/**
 * The store's side of a burn-down, without the inserts: claim {@code batch} queued jobs (as the pool's claims
 * do) and write their outcomes in one call (as the processor's flush does), on a real SQLite file with 100 k
 * jobs queued. The outcomes put the jobs back in the queue, so the queue stays as deep however long it runs.
 * Jobs per second = operations per second × {@code batch}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ClaimAndRecordBenchmark {

    private static final int QUEUED = 100_000;

    @Param({ "4", "64" })
    public int batch;

    private final Clock clock = Clock.systemUTC();
    private Path dir;
    private TestStores.Opened opened;
    private JobStore store;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        dir = Files.createTempDirectory("quiesce-jmh");
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
        StoredJobs.insert(opened.dataSource(), new JobIds(clock), clock, JobStatus.QUEUED, QUEUED,
                clock.millis());
    }

    @TearDown(Level.Trial)
    public void close() {
        opened.close();
        ProcessSupport.deleteQuietly(dir);
    }

    @Benchmark
    @Threads(1)
    public int claimAndRecordBatch() {
        Instant now = clock.instant();
        List<Job> claimed = store.claim(new JobStore.ClaimRequest(batch, "jmh", "jmh", now, now.plusSeconds(30),
                Integer.MAX_VALUE, batch)).started();
        if (claimed.size() != batch) {
            throw new IllegalStateException("claimed " + claimed.size() + " of " + batch);
        }
        List<FinishedJob> outcomes = new ArrayList<>(claimed.size());
        for (Job job : claimed) {
            outcomes.add(FinishedJob.requeued(job, "jmh", now, Duration.ZERO));
        }
        return store.record(outcomes).rows();
    }
}
