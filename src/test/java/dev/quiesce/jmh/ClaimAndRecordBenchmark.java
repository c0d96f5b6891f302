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

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore;

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
    private BenchmarkStore sqlite;
    private JobStore store;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        sqlite = BenchmarkStore.sqlite();
        store = sqlite.jobs();
        sqlite.fill(new JobIds(clock), clock, JobStatus.QUEUED, QUEUED,
                clock.millis());
    }

    @TearDown(Level.Trial)
    public void close() {
        sqlite.close();
    }

    @Benchmark
    @Threads(1)
    public int claimAndRecordBatch() {
        BenchmarkStore.ClaimedAndRecorded done = sqlite.claimAndRecord(batch,
                (job, at) -> FinishedJob.requeued(job, "jmh", at, Duration.ZERO));
        if (done.claimed() != batch) {
            throw new IllegalStateException("claimed " + done.claimed() + " of " + batch);
        }
        return done.rows();
    }
}
