package dev.quiesce.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The store's hot paths on a real SQLite file: inserts from many threads (they share group commits), claims,
 * and a batch of outcomes. Throughput in operations per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreBenchmark {

    private final Clock clock = Clock.systemUTC();
    private final JobIds ids = new JobIds(clock);
    private Path dir;
    private TestStores.Opened opened;
    private JobStore store;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("quiesce-jmh");
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
    }

    @TearDown(Level.Trial)
    public void close() {
        opened.close();
        ProcessSupport.deleteQuietly(dir);
    }

    private JobStore.InsertResult insertOne() {
        return store.insert(new JobStore.NewJob(ids.next(), "sleep", "{\"durationMs\":0}", null, "h",
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
        Instant now = clock.instant();
        List<Job> claimed = store.claim(new JobStore.ClaimRequest(16, "jmh", "jmh", now, now.plusSeconds(30), 5, 16))
                .started();
        List<FinishedJob> outcomes = new ArrayList<>(claimed.size());
        for (Job job : claimed) {
            outcomes.add(FinishedJob.ended(job, "jmh", JobStatus.SUCCEEDED, now, Duration.ZERO, "{}", null));
        }
        return store.record(outcomes).rows();
    }
}
