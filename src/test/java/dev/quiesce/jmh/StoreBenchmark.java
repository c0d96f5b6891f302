package dev.quiesce.jmh;

import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.store.JobStore;

/**
 * The store's hot paths on a real SQLite file: inserts from many threads (they share group commits), claims,
 * and a batch of outcomes. Throughput in operations per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {

    private final Clock clock = Clock.systemUTC();
    private final JobIds ids = new JobIds(clock);
    private BenchmarkStore sqlite;
    private JobStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        sqlite = BenchmarkStore.sqlite();
        store = sqlite.jobs();
    }

    @TearDown(Level.Trial)
    public void close() {
        sqlite.close();
    }

    private JobStore.InsertResult insertOne() {
        return store.insert(new JobStore.NewJob(ids.next(), "sleep", "{\"durationMs\":0}", null, null,
                clock.instant()), Integer.MAX_VALUE);
    }

    /** 64 submitting threads, as the submit benchmark's 64 connections: group commit serves them together. */
    @Benchmark
    @Threads(64)
    public JobStore.InsertResult insertFrom64Threads() {
        return insertOne();
    }

    @Benchmark
    @Threads(1)
    public JobStore.InsertResult insertFromOneThread() {
        return insertOne();
    }

    /** Claim 16 queued jobs and record their outcomes in one batch: the pool's and processor's store work. */
    @Benchmark
    @Threads(1)
    public int claimAndRecordSixteen() {
        for (int i = 0; i < 16; i++) {
            insertOne();
        }
        return sqlite.claimAndRecord(16, BenchmarkStore::succeeded).rows();
    }
}
