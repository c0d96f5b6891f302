package dev.quiesce.jmh;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
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
 * What a backlog of QUEUED jobs costs the insert path, where the queue capacity is checked: inserts from 64
 * threads (sharing group commits, as the submit benchmark's 64 connections do) into a real SQLite file that
 * holds no queued job, or 100,000, with a capacity never near. When every insert transaction
 * counted the queue in the database the backlog made each one slower; with the count kept in memory it should
 * cost nothing until the capacity is near.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class QueueBacklogInsertBenchmark {

    /** Far above anything a run inserts (over a million), so the capacity is never near. */
    private static final int CAPACITY = Integer.MAX_VALUE;

    @Param({ "0", "100000" })
    public int queued;

    private final Clock clock = Clock.systemUTC();
    private final JobIds ids = new JobIds(clock);
    private BenchmarkStore sqlite;
    private JobStore store;

    @Setup(Level.Trial)
    public void open() throws IOException, SQLException {
        sqlite = BenchmarkStore.sqlite();
        store = sqlite.jobs();
        sqlite.fill(ids, clock, JobStatus.QUEUED, queued, clock.millis());
    }

    @TearDown(Level.Trial)
    public void close() {
        sqlite.close();
    }

    @Benchmark
    @Threads(64)
    public JobStore.InsertResult insertFrom64Threads() {
        return store.insert(new JobStore.NewJob(ids.next(), "sleep", "{\"durationMs\":0}", null, null,
                clock.instant()), CAPACITY);
    }
}
