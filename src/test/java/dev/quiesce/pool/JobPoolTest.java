package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.processor.OutcomeProcessor;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.ErrorJob;
import dev.quiesce.testing.GateJob;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/** The pool driven directly, without Spring, against a real SQLite store and a clock the test moves. */
@Timeout(30)
class JobPoolTest {

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final GateJob gate = new GateJob();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private TestStores.Opened opened;
    private JobStore store;
    private JobTypes types;
    private OutcomeProcessor outcomes;
    private JobPool pool;

    @BeforeEach
    void setUp() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
        types = Jobs.catalog(gate, new ErrorJob());
        outcomes = new OutcomeProcessor(store, Duration.ofMillis(20), 64);
        outcomes.start();
    }

    @AfterEach
    void tearDown() {
        if (pool != null) {
            pool.drain(new Deadline(clock, clock.instant()), false, Duration.ofSeconds(1));
        }
        outcomes.stopAndFlush(Deadline.after(clock, Duration.ofSeconds(5)));
        opened.close();
    }

    private JobPool startPool(int workers, int maxAttempts) {
        return startPool(store, workers, maxAttempts, Duration.ofSeconds(30));
    }

    /** A pool on {@code jobs} (the store, or a wrapper of it) whose lease keeper runs every third of {@code lease}. */
    private JobPool startPool(JobStore jobs, int workers, int maxAttempts, Duration lease) {
        pool = new JobPool(jobs, types, outcomes, JobEvents.NONE, clock,
                new JobPool.Settings(workers, "test", maxAttempts, lease, Duration.ofMillis(50)), finished::add);
        pool.start();
        return pool;
    }

    private String submit(String type, String params) {
        String id = Jobs.insert(store, types, clock, type, params);
        if (pool != null) {
            pool.wake();
        }
        return id;
    }

    /** The job as the store holds it once any outcome handed to the processor is written. */
    private Job stored(String id) {
        outcomes.flushOnce();
        await().atMost(Duration.ofSeconds(10)).until(() -> outcomes.pending(id).isEmpty());
        return store.find(id).orElseThrow();
    }

    @Test
    void neverRunsMoreJobsAtOnceThanItHasWorkers() {
        startPool(3, 5);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add(submit("gate", "{\"gate\":\"g\"}"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 3);
        assertThat(store.countQueued()).isEqualTo(5);
        gate.open("g");
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.containsAll(ids));
        assertThat(gate.maxRunning()).isEqualTo(3);
        assertThat(ids).allSatisfy(id -> {
            Job job = stored(id);
            assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
            assertThat(job.attempts()).isEqualTo(1);
            assertThat(job.result()).isEqualTo("{\"gate\":\"g\"}");
        });
    }

    @Test
    void drainRunsTheQueuedJobsTooWhenTheyFit() {
        startPool(2, 5);
        submit("gate", "{\"gate\":\"first\"}");
        submit("gate", "{\"gate\":\"first\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 2);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(submit("sleep", "{\"durationMs\":20}"));
        }
        Deadline deadline = Deadline.after(clock, Duration.ofSeconds(10));
        pool.closeIntake(deadline, true);
        gate.open("first");
        JobPool.DrainReport report = pool.awaitDrained(deadline, Duration.ofSeconds(1), 0, 0);
        assertThat(report.cutOffWork()).isFalse();
        assertThat(report.finished()).as("the two running and the six queued").isEqualTo(8);
        assertThat(ids).allSatisfy(id -> assertThat(stored(id).status()).isEqualTo(JobStatus.SUCCEEDED));
    }

    @Test
    void jobsWaitingForABusyWorkerStayQueuedUnstartedAndCancellableAtOnce() {
        startPool(1, 5);
        String warmUp = submit("sleep", "{\"durationMs\":0}"); // short runs once made the pool claim ahead
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(warmUp));
        clock.advance(Duration.ofMillis(1)); // ids are time-ordered: the gate job is the oldest
        String gated = submit("gate", "{\"gate\":\"a\"}");
        List<String> behind = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(1));
            behind.add(submit("sleep", "{\"durationMs\":0}"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);

        assertThat(pool.running()).as("jobs this pool holds: the one it runs").isEqualTo(1);
        assertThat(behind).allSatisfy(id -> {
            Job job = store.find(id).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(job.attempts()).isZero();
            assertThat(job.startedAt()).isNull();
        });
        assertThat(store.cancel(behind.get(0), clock.instant()).outcome()).isEqualTo(CancelOutcome.CANCELLED);

        gate.open("a");
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.containsAll(behind.subList(1, 3)));
        assertThat(stored(gated).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(behind.get(0)).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(stored(behind.get(1)).attempts()).isEqualTo(1);
    }

    @Test
    void aStopsCountsAddUpToTheJobsItSawWhenRunningJobsAreCutOffAndQueuedOnesLeft() {
        ShutdownReport report = stopWithTwoCutOffAndThreeQueued();
        assertThat(report.drained() + report.requeued() + report.leftQueued()).as("%s", report).isEqualTo(5);
        assertThat(report.requeued()).isEqualTo(2);
        assertThat(report.leftQueued()).isEqualTo(3);
    }

    /**
     * The requeued jobs are counted once whether their outcomes are written before the jobs phase counts what it
     * leaves queued (a processor that writes each outcome at once) or after it (one that has not started).
     */
    @ParameterizedTest
    @ValueSource(ints = { 1, 0 })
    void aStopCountsEachRequeuedJobOnceWhetherItsRequeueIsWrittenYetOrNot(int batchSize) {
        outcomes.stopAndFlush(Deadline.after(clock, Duration.ofSeconds(5)));
        outcomes = new OutcomeProcessor(store, Duration.ofMillis(batchSize == 0 ? 3_600_000 : 1), Math.max(1,
                batchSize));
        if (batchSize > 0) {
            outcomes.start();
        }
        ShutdownReport report = stopWithTwoCutOffAndThreeQueued();
        assertThat(report.requeued()).as("%s", report).isEqualTo(2);
        assertThat(report.leftQueued()).as("%s", report).isEqualTo(3);
    }

    /** Two workers held by jobs that never end, three queued behind them, then a stop that leaves queued jobs. */
    private ShutdownReport stopWithTwoCutOffAndThreeQueued() {
        startPool(2, 5);
        submit("gate", "{\"gate\":\"never\"}");
        submit("gate", "{\"gate\":\"never\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 2);
        for (int i = 0; i < 3; i++) {
            submit("sleep", "{\"durationMs\":1}");
        }
        return stop(false, Duration.ofSeconds(2), () -> clock.advance(Duration.ofSeconds(3)));
    }

    @Test
    void aStopsCountsAddUpToTheJobsItSawWhenItDrainsTheQueue() {
        startPool(2, 5);
        submit("gate", "{\"gate\":\"d\"}");
        submit("gate", "{\"gate\":\"d\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 2);
        for (int i = 0; i < 3; i++) {
            submit("sleep", "{\"durationMs\":1}");
        }
        ShutdownReport report = stop(true, Duration.ofSeconds(30), () -> gate.open("d"));
        assertThat(report.drained() + report.requeued() + report.leftQueued()).as("%s", report).isEqualTo(5);
        assertThat(report.drained()).isEqualTo(5);
    }

    /**
     * A stop as the service runs it: the coordinator begins (its first log line counts the jobs it sees) and the
     * jobs phase drains the pool with {@code runQueued}; {@code meanwhile} runs once the drain is under way.
     */
    private ShutdownReport stop(boolean runQueued, Duration budget, Runnable meanwhile) {
        PoolJobCounter counter = new PoolJobCounter(store, pool);
        await().atMost(Duration.ofSeconds(10)).until(() -> counter.queued() + counter.running() == 5);
        ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, budget, "test", counter);
        coordinator.begin("test");
        Thread later = new Thread(meanwhile);
        later.start();
        new JobPoolDrainLifecycle(pool, store, outcomes, coordinator, runQueued).stop();
        try {
            later.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return coordinator.finish();
    }

    @Test
    void requeuePolicyLetsRunningJobsFinishAndLeavesQueuedOnesQueued() {
        startPool(1, 5);
        String runningId = submit("gate", "{\"gate\":\"r\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        String queuedId = submit("sleep", "{\"durationMs\":1}");
        Deadline deadline = Deadline.after(clock, Duration.ofSeconds(10));
        pool.closeIntake(deadline, false);
        gate.open("r");
        JobPool.DrainReport report = pool.awaitDrained(deadline, Duration.ofSeconds(1), 0, 0);
        assertThat(report.finished()).isEqualTo(1);
        assertThat(report.cutOffWork()).isFalse();
        assertThat(stored(runningId).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(stored(queuedId).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored(queuedId).attempts()).isZero();
    }

    @Test
    void whenAJobOutlivesTheDeadlineThenItIsCancelledWithTheShutdownReasonAndRequeued() throws Exception {
        startPool(1, 5);
        String id = submit("gate", "{\"gate\":\"never\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        Deadline deadline = Deadline.after(clock, Duration.ofSeconds(2));
        Thread mover = new Thread(() -> clock.advance(Duration.ofSeconds(3)));
        mover.start();
        JobPool.DrainReport report = pool.drain(deadline, true, Duration.ofSeconds(5));
        mover.join();
        assertThat(report.requeued()).isEqualTo(1);
        assertThat(report.cutOffWork()).isTrue();
        assertThat(gate.cancelReason("never")).isEqualTo(CancelReason.SHUTDOWN_DEADLINE);
        Job job = stored(id);
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isEqualTo(1);
    }

    @Test
    void aJobThatIgnoresTheInterruptIsReportedStuckAndStaysRunningForRecovery() {
        startPool(1, 5);
        String id = submit("gate", "{\"gate\":\"stubborn\",\"ignoreCancel\":true}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        clock.advance(Duration.ofSeconds(1));
        JobPool.DrainReport report = pool.drain(new Deadline(clock, clock.instant()), true, Duration.ofMillis(100));
        assertThat(report.stuck()).isEqualTo(1);
        assertThat(report.cutOffWork()).isTrue();
        assertThat(stored(id).status()).isEqualTo(JobStatus.RUNNING);
        gate.open("stubborn");
        assertThat(store.recoverAbandoned(clock.instant(), 5)).isGreaterThanOrEqualTo(0);
    }

    @Test
    void whileDrainingAQueuedJobThatCannotFinishInTheTimeLeftIsNotStarted() {
        startPool(1, 5);
        submit("gate", "{\"gate\":\"busy\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        String tooLong = submit("sleep", "{\"durationMs\":60000}");
        String fits = submit("sleep", "{\"durationMs\":10}");
        Deadline deadline = Deadline.after(clock, Duration.ofSeconds(5));
        pool.closeIntake(deadline, true);
        gate.open("busy");
        JobPool.DrainReport report = pool.awaitDrained(deadline, Duration.ofSeconds(1), 0, 0);
        assertThat(report.cutOffWork()).isFalse();
        assertThat(stored(tooLong).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored(tooLong).attempts()).isZero();
        assertThat(stored(fits).status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    /** {@code timed}: says how long it takes (which the drain's admission asks), noting the threads that ask. */
    static final class TimedJob implements JobType<TimedJob.Params> {

        public record Params(int ms) {
        }

        final Set<String> askedOn = ConcurrentHashMap.newKeySet();

        @Override
        public String name() {
            return "timed";
        }

        @Override
        public Class<Params> paramsType() {
            return Params.class;
        }

        @Override
        public Object run(Params params, JobContext context) {
            return Map.of("ms", params.ms());
        }

        @Override
        public Optional<Duration> expectedDuration(Params params) {
            askedOn.add(Thread.currentThread().getName());
            return Optional.of(Duration.ofMillis(params.ms()));
        }
    }

    @Test
    void whileDrainingTheAdmissionRuleRunsOnTheWorkersNeverOnTheStoresWriter() {
        TimedJob timed = new TimedJob();
        types = Jobs.catalog(gate, timed);
        startPool(1, 5);
        submit("gate", "{\"gate\":\"busy\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        String id = submit("timed", "{\"ms\":1}");
        Deadline deadline = Deadline.after(clock, Duration.ofSeconds(5));
        pool.closeIntake(deadline, true);
        gate.open("busy");
        pool.awaitDrained(deadline, Duration.ofSeconds(1), 0, 0);
        assertThat(stored(id).status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(timed.askedOn).as("the threads that ran the admission rule").isNotEmpty()
                .doesNotContain("quiesce-store-writer");
    }

    @Test
    void aJobStartedMaxAttemptsTimesWithoutFinishingEndsFailedAsPoison() {
        String id = submit("gate", "{\"gate\":\"p\"}");
        Instant now = clock.instant();
        for (int attempt = 1; attempt <= 2; attempt++) {
            JobStore.ClaimResult claim = store.claim(new JobStore.ClaimRequest(1, "dead-" + attempt, "dead", now,
                    now.plusSeconds(30), 2, 1));
            assertThat(claim.started()).hasSize(1);
            store.recoverAbandoned(now, 99);
        }
        startPool(1, 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(id));
        Job job = stored(id);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.attempts()).isEqualTo(2);
        assertThat(job.error()).contains("poison");
        assertThat(gate.started()).isZero();
    }

    @Test
    void cancellingARunningJobEndsItCancelledWithTheReason() {
        startPool(1, 5);
        String id = submit("gate", "{\"gate\":\"c\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        assertThat(pool.cancel(id, CancelReason.REQUESTED)).isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(id));
        Job job = stored(id);
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(job.error()).isEqualTo("cancelled by request");
        assertThat(gate.cancelReason("c")).isEqualTo(CancelReason.REQUESTED);
    }

    @Test
    void aFanoutFailsFastAndCancelsItsSiblingsWithTheFirstFailureAsReason() {
        startPool(1, 5);
        String id = submit("fanout", "{\"tasks\":[{\"type\":\"gate\",\"params\":{\"gate\":\"sibling\"}},"
                + "{\"type\":\"fail\",\"params\":{\"afterMs\":20,\"message\":\"boom\"}}]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(id));
        Job job = stored(id);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("boom");
        assertThat(gate.cancelReason("sibling")).isEqualTo(CancelReason.siblingFailed("boom"));
    }

    @Test
    void aJobThatThrowsAnErrorEndsFailedWithTheErrorsClassAndEveryWorkerRunsJobsAfterwards() {
        int workers = 2;
        startPool(workers, 5);
        String id = submit("error", "{\"message\":\"boom\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(id));
        Job failed = stored(id);
        assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
        assertThat(failed.error()).isEqualTo("java.lang.AssertionError: boom");

        List<String> after = new ArrayList<>();
        for (int i = 0; i <= workers; i++) {
            after.add(submit("gate", "{\"gate\":\"after\"}"));
        }
        // All workers busy at once: the one that ran the failing job is among them, still alive.
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == workers);
        gate.open("after");
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.containsAll(after));
        assertThat(after).allSatisfy(each -> assertThat(stored(each).status()).isEqualTo(JobStatus.SUCCEEDED));
    }

    @Test
    void aFanoutTaskThatThrowsAnErrorFailsTheJobAndCancelsItsSiblings() {
        startPool(1, 5);
        String id = submit("fanout", "{\"tasks\":[{\"type\":\"gate\",\"params\":{\"gate\":\"sibling\"}},"
                + "{\"type\":\"error\",\"params\":{\"message\":\"boom\"}}]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(id));
        Job job = stored(id);
        assertThat(job.status()).isEqualTo(JobStatus.FAILED);
        assertThat(job.error()).isEqualTo("java.lang.AssertionError: boom");
        assertThat(gate.cancelReason("sibling"))
                .isEqualTo(CancelReason.siblingFailed("java.lang.AssertionError: boom"));
    }

    @Test
    void theLeaseKeeperCarriesOnAfterAnUnforeseenFailure() {
        AtomicInteger renewals = new AtomicInteger();
        JobStore firstRenewalFails = (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                new Class<?>[] { JobStore.class }, (proxy, method, args) -> {
                    if (method.getName().equals("renewLeases") && renewals.incrementAndGet() == 1) {
                        throw new IllegalStateException("not a StoreUnavailableException");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        startPool(firstRenewalFails, 1, 5, Duration.ofMillis(300)); // renews every 100 ms

        await().atMost(Duration.ofSeconds(10)).until(() -> renewals.get() >= 3);
    }
}
