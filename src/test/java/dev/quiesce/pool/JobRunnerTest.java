package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.processor.OutcomeProcessor;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.ErrorJob;
import dev.quiesce.testing.GateJob;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/** One run of one job and the outcome it turns into, against a real SQLite store and a clock the test moves. */
@Timeout(30)
class JobRunnerTest {

    private static final String OWNER = "test/runner";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final GateJob gate = new GateJob();
    private final JobTypes types = Jobs.catalog(gate, new ErrorJob());
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final RunTimes runTimes = new RunTimes();
    private TestStores.Opened opened;
    private JobStore store;
    /** Not started: outcomes wait in it, readable through {@code pending}, until a test flushes them. */
    private OutcomeProcessor outcomes;
    private JobRunner runner;

    @BeforeEach
    void setUp() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
        outcomes = new OutcomeProcessor(store, Duration.ofHours(1), 1000);
        runner = new JobRunner(types, outcomes, JobEvents.NONE, clock, OWNER, runTimes, finished::add,
                new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.5));
    }

    @AfterEach
    void tearDown() {
        runner.cutOffAll();
        opened.close();
    }

    /** A job of {@code type} claimed by this runner's owner, as a worker gets it. */
    private Job claimed(String type, String params) {
        Jobs.insert(store, types, clock, type, params);
        Instant now = clock.instant();
        return store.claim(new JobStore.ClaimRequest(1, OWNER, "test", now, now.plusSeconds(30), 5, 1))
                .started().get(0);
    }

    /** A job of {@code type} with {@code options}, claimed by this runner's owner. */
    private Job claimed(String type, String params, RunOptions options) {
        Jobs.insert(store, types, clock, type, params, options);
        return claimNext();
    }

    private Job claimNext() {
        Instant now = clock.instant();
        return store.claim(new JobStore.ClaimRequest(1, OWNER, "test", now, now.plusSeconds(30), 5, 1))
                .started().get(0);
    }

    @Test
    void aFailedRunWithRetriesLeftWaitsScheduledForItsDoublingBackoffAndTheLastEndsFailed() {
        Job job = claimed("error", "{\"message\":\"boom\"}", RunOptions.of(null, 5, null, 2));

        runner.run(job);
        FinishedJob first = outcome(job);
        assertThat(first.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(first.retryAt()).as("1 s, no jitter at 0.5").isEqualTo(clock.instant().plusSeconds(1));
        assertThat(first.error()).contains("boom");
        assertThat(outcomes.flushOnce()).isEqualTo(1);
        Job waiting = store.find(job.id()).orElseThrow();
        assertThat(waiting.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(waiting.failures()).isEqualTo(1);
        assertThat(waiting.options().runAt()).isEqualTo(clock.instant().plusSeconds(1));
        assertThat(waiting.error()).contains("boom");

        clock.advance(Duration.ofSeconds(1));
        Job second = claimNext();
        assertThat(second.attempts()).isEqualTo(2);
        runner.run(second);
        assertThat(outcome(second).retryAt()).as("doubled").isEqualTo(clock.instant().plusSeconds(2));
        outcomes.flushOnce();

        clock.advance(Duration.ofSeconds(2));
        Job third = claimNext();
        runner.run(third);
        assertThat(outcome(third).status()).as("no retries left").isEqualTo(JobStatus.FAILED);
        outcomes.flushOnce();
        Job failed = store.find(job.id()).orElseThrow();
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.failures()).isEqualTo(3);
        assertThat(failed.attempts()).isEqualTo(3);
        assertThat(runner.finished()).isEqualTo(3);
    }

    @Test
    void aRunPastItsTimeoutIsCancelledWithTheReasonTimeoutAndFailsWithItsWorkerNotLeftInterrupted()
            throws Exception {
        Job job = claimed("gate", "{\"gate\":\"slow\"}", RunOptions.of(null, 5, Duration.ofMillis(100), 0));
        AtomicBoolean interruptedAfter = new AtomicBoolean(true);
        Thread worker = new Thread(() -> {
            runner.run(job);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "test-worker");
        worker.start();
        worker.join(10_000);

        assertThat(worker.isAlive()).as("the timeout ended the run").isFalse();
        assertThat(gate.cancelReason("slow")).isEqualTo(CancelReason.TIMEOUT);
        assertThat(outcome(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(outcome(job).error()).isEqualTo("timeout");
        assertThat(interruptedAfter).isFalse();
    }

    @Test
    void aTimedOutRunWithRetriesLeftIsTriedAgain() throws Exception {
        Job job = claimed("gate", "{\"gate\":\"again\"}", RunOptions.of(null, 5, Duration.ofMillis(100), 1));
        runner.run(job); // on this thread: the timeout ends it

        assertThat(outcome(job).status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(outcome(job).error()).isEqualTo("timeout");
        assertThat(outcome(job).retryAt()).isEqualTo(clock.instant().plusSeconds(1));
    }

    @Test
    void aRunThatEndsBeforeItsTimeoutIsNotTouchedByIt() throws Exception {
        gate.open("quick");
        Job job = claimed("gate", "{\"gate\":\"quick\"}", RunOptions.of(null, 5, Duration.ofMillis(50), 0));
        runner.run(job);
        Thread.sleep(150); // lets the timeout's moment pass: nothing may reach this thread or the finished run
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
        assertThat(outcome(job).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /** Runs {@code job} on a worker thread of its own; returns once the run is in progress. */
    private Worker runOnWorker(Job job) {
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        Thread thread = new Thread(() -> {
            runner.run(job);
            interruptedAfter.set(Thread.currentThread().isInterrupted());
        }, "test-worker");
        thread.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inProgress(job.id()));
        return new Worker(thread, interruptedAfter);
    }

    private record Worker(Thread thread, AtomicBoolean interruptedAfter) {
        void awaitEnd() throws InterruptedException {
            thread.join(10_000);
            assertThat(thread.isAlive()).as("the run ended").isFalse();
        }
    }

    private FinishedJob outcome(Job job) {
        return outcomes.pending(job.id()).orElseThrow();
    }

    @Test
    void aJobThatReturnsEndsSucceededWithItsResultCountsAsFinishedAndTeachesTheRunTimes() {
        gate.open("open");
        Job job = claimed("gate", "{\"gate\":\"open\"}");

        runner.run(job);

        FinishedJob outcome = outcome(job);
        assertThat(outcome.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(outcome.requeue()).isFalse();
        assertThat(outcome.owner()).isEqualTo(OWNER);
        assertThat(outcome.result()).isEqualTo("{\"gate\":\"open\"}");
        assertThat(runner.finished()).isEqualTo(1);
        assertThat(runner.cutOff()).isZero();
        assertThat(runner.inProgressIds()).isEmpty();
        assertThat(finished).containsExactly(job.id());
        assertThat(runTimes.p90("gate")).as("no time passed on the test's clock").contains(Duration.ZERO);
        assertThat(outcomes.flushOnce()).isEqualTo(1);
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void aRunCancelledByRequestEndsCancelledWithTheReasonAndTeachesNoRunTime() throws Exception {
        Job job = claimed("gate", "{\"gate\":\"c\"}");
        Worker worker = runOnWorker(job);

        assertThat(runner.cancel(job.id(), CancelReason.REQUESTED)).isTrue();
        worker.awaitEnd();

        assertThat(gate.cancelReason("c")).isEqualTo(CancelReason.REQUESTED);
        assertThat(outcome(job).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(outcome(job).error()).isEqualTo("cancelled by request");
        assertThat(runner.finished()).isEqualTo(1);
        assertThat(runTimes.p90("gate")).isEmpty();
    }

    @Test
    void aJobWhoseCancelWasAskedBeforeItsRunStartsCancelled() {
        Job job = claimed("gate", "{\"gate\":\"early\"}");
        assertThat(store.cancel(job.id(), clock.instant()).outcome()).isEqualTo(CancelOutcome.REQUESTED);
        Job flagged = store.find(job.id()).orElseThrow();
        assertThat(flagged.cancelRequested()).isTrue();

        runner.run(flagged);

        assertThat(gate.cancelReason("early")).isEqualTo(CancelReason.REQUESTED);
        assertThat(outcome(job).status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void cuttingOffAtTheDeadlineRequeuesTheRunAndLeavesTheWorkerThreadUninterrupted() throws Exception {
        Job job = claimed("gate", "{\"gate\":\"never\"}");
        Worker worker = runOnWorker(job);

        runner.cutOffAll();
        worker.awaitEnd();

        assertThat(gate.cancelReason("never")).isEqualTo(CancelReason.SHUTDOWN_DEADLINE);
        assertThat(outcome(job).requeue()).isTrue();
        assertThat(runner.cutOff()).isEqualTo(1);
        assertThat(runner.finished()).isZero();
        assertThat(worker.interruptedAfter()).as("the interrupt was for that run only").isFalse();
        assertThat(finished).containsExactly(job.id());
        outcomes.flushOnce();
        Job stored = store.find(job.id()).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored.attempts()).isEqualTo(1);
    }

    @Test
    void aRunWhoseLeaseWasLostEndsAsARequeueWhoseWriteIsFencedOff() throws Exception {
        Job job = claimed("gate", "{\"gate\":\"lost\"}");
        Worker worker = runOnWorker(job);

        assertThat(runner.cancel(job.id(), CancelReason.LEASE_LOST)).isTrue();
        worker.awaitEnd();

        assertThat(outcome(job).requeue()).isTrue();
        assertThat(outcome(job).owner()).isEqualTo(OWNER);
        assertThat(runner.cutOff()).isEqualTo(1);
    }

    @Test
    void aJobThatThrowsAnErrorEndsFailedWithTheErrorsClassAndTheWorkerCarriesOn() {
        Job job = claimed("error", "{\"message\":\"boom\"}");

        runner.run(job); // returns: the Error does not escape to the worker

        assertThat(outcome(job).status()).isEqualTo(JobStatus.FAILED);
        assertThat(outcome(job).error()).isEqualTo("java.lang.AssertionError: boom");
        assertThat(runner.inProgressIds()).isEmpty();
    }

    @Test
    void cancellingAJobWithNoRunInProgressHereDoesNothing() {
        assertThat(runner.cancel("not-here", CancelReason.REQUESTED)).isFalse();
        assertThat(runner.inProgress("not-here")).isFalse();
    }
}
