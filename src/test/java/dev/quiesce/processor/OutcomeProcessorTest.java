package dev.quiesce.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;
import dev.quiesce.testing.Postgres;

/** Write-behind batching driven directly against a real store. */
@Timeout(30)
class OutcomeProcessorTest {

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private TestStores.Opened opened;
    private JobStore store;
    private final JobTypes types = Jobs.catalog();

    @BeforeEach
    void open() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private List<Job> runningJobs(int count) {
        for (int i = 0; i < count; i++) {
            Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        }
        Instant now = clock.instant();
        return store.claim(new JobStore.ClaimRequest(count, "owner", "i", now, now.plusSeconds(30), 5, count))
                .started();
    }

    private static FinishedJob succeeded(Job job) {
        return FinishedJob.ended(job, "owner", JobStatus.SUCCEEDED, job.startedAt(), Duration.ZERO, "{\"ok\":1}",
                null);
    }

    @Test
    void writesOutcomesInBatchesOfTheConfiguredSize() {
        OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofHours(1), 4);
        List<Job> jobs = runningJobs(10);
        jobs.forEach(job -> processor.accept(succeeded(job)));
        assertThat(processor.flushOnce()).isEqualTo(4);
        assertThat(processor.buffered()).isEqualTo(6);
        assertThat(store.find(jobs.get(0).id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.find(jobs.get(9).id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(processor.pending(jobs.get(9).id())).isPresent();
        assertThat(processor.pending(jobs.get(0).id())).isEmpty();
    }

    @Test
    void theFlusherWritesOnItsIntervalWithoutBeingAsked() {
        OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofMillis(20), 1000);
        processor.start();
        Job job = runningJobs(1).get(0);
        processor.accept(succeeded(job));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> store.find(job.id()).orElseThrow().status() == JobStatus.SUCCEEDED);
        processor.stopAndFlush(Deadline.after(clock, Duration.ofSeconds(1)));
    }

    @Test
    void aStopFlushesEverythingBuffered() {
        OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofHours(1), 3);
        processor.start();
        List<Job> jobs = runningJobs(7);
        List<FinishedJob> outcomes = new ArrayList<>();
        jobs.forEach(job -> outcomes.add(succeeded(job)));
        outcomes.forEach(processor::accept);
        int left = processor.stopAndFlush(Deadline.after(clock, Duration.ofSeconds(5)));
        assertThat(left).isZero();
        assertThat(jobs).allSatisfy(job ->
                assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED));
    }

    @Test
    void aRequeueOutcomePutsTheJobBackInTheQueueWithItsAttempts() {
        OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofHours(1), 10);
        Job job = runningJobs(1).get(0);
        processor.accept(FinishedJob.requeued(job, "owner", clock.instant(), Duration.ofMillis(5)));
        processor.flushOnce();
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored.attempts()).isEqualTo(1);
    }

    @Test
    void anOutcomeFromARunThatNoLongerOwnsTheJobIsNotWritten() {
        OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofHours(1), 10);
        Job job = runningJobs(1).get(0);
        processor.accept(FinishedJob.ended(job, "someone-else", JobStatus.FAILED, clock.instant(), Duration.ZERO,
                null, "late"));
        processor.flushOnce();
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void whenTheStoreIsClosedTheOutcomesStayBufferedAndAreCounted() {
        OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofHours(1), 10);
        Job job = runningJobs(1).get(0);
        processor.accept(succeeded(job));
        store.close(1000);
        assertThat(processor.flushOnce()).isEqualTo(-1);
        assertThat(processor.stopAndFlush(Deadline.after(clock, Duration.ofMillis(1)))).isEqualTo(1);
        assertThat(processor.pending(job.id())).isPresent();
    }

    @Test
    void anOutcomeTheDatabaseRefusesEndsFailedAsUnstorableAndHoldsUpNoOther() {
        try (TestStores.Opened postgres = TestStores.postgres(Postgres.newDatabase())) {
            store = postgres.jobs();
            OutcomeProcessor processor = new OutcomeProcessor(store, Duration.ofHours(1), 10);
            List<Job> jobs = runningJobs(2);
            Job good = jobs.get(0);
            Job refused = jobs.get(1);
            processor.accept(succeeded(good));
            // A PostgreSQL text column cannot hold a NUL character.
            processor.accept(FinishedJob.ended(refused, "owner", JobStatus.FAILED, clock.instant(), Duration.ZERO,
                    null, "bad\u0000error"));

            for (int flush = 0; flush < 3 && processor.buffered() > 0; flush++) {
                assertThat(processor.flushOnce()).as("the store answers every flush").isPositive();
            }

            assertThat(processor.buffered()).isZero();
            assertThat(store.find(good.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
            Job unstorable = store.find(refused.id()).orElseThrow();
            assertThat(unstorable.status()).isEqualTo(JobStatus.FAILED);
            assertThat(unstorable.error()).isEqualTo(OutcomeProcessor.UNSTORABLE);
            assertThat(processor.pending(good.id())).isEmpty();
            assertThat(processor.pending(refused.id())).isEmpty();
        }
    }
}
