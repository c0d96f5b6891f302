package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.pool.JobPool.Mode;
import dev.quiesce.processor.OutcomeProcessor;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.GateJob;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/**
 * The lease keeper driven one round at a time with a clock the test moves, against a real SQLite store that
 * "another instance" (the test) also uses.
 */
@Timeout(30)
class LeaseKeeperTest {

    private static final String OWNER = "test/keeper";
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final int MAX_ATTEMPTS = 5;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final GateJob gate = new GateJob();
    private final JobTypes types = Jobs.catalog(gate);
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private final AtomicInteger wakes = new AtomicInteger();
    private TestStores.Opened opened;
    private JobStore store;
    private OutcomeProcessor outcomes;
    private JobRunner runner;
    private LeaseKeeper keeper;

    @BeforeEach
    void setUp() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
        outcomes = new OutcomeProcessor(store, Duration.ofHours(1), 1000);
        RunTimes runTimes = new RunTimes();
        DrainAdmission admission = new DrainAdmission(types, runTimes);
        runner = new JobRunner(types, outcomes, JobEvents.NONE, clock, OWNER, runTimes, finished::add,
                new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.5));
        ClaimedJobs claimed = new ClaimedJobs(store, clock,
                new JobPool.Settings(1, "test", MAX_ATTEMPTS, LEASE, Duration.ofMillis(50)), OWNER, admission, runTimes,
                () -> Mode.OPEN, () -> { }, JobEvents.NONE, finished::add);
        keeper = new LeaseKeeper(store, clock, OWNER, LEASE, MAX_ATTEMPTS, runner, claimed,
                wakes::incrementAndGet);
    }

    @AfterEach
    void tearDown() {
        runner.cutOffAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> runner.inProgressIds().isEmpty());
        opened.close();
    }

    /** Queues a gate job, claims it for this pool and runs it on a worker thread; returns once it runs. */
    private Job running(String gateName) {
        Jobs.insert(store, types, clock, "gate", "{\"gate\":\"" + gateName + "\"}");
        Instant now = clock.instant();
        Job job = store.claim(new JobStore.ClaimRequest(1, OWNER, "test", now, now.plus(LEASE), MAX_ATTEMPTS, 1)).started().get(0);
        Thread worker = new Thread(() -> runner.run(job), "test-worker");
        worker.setDaemon(true);
        worker.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> gate.running() == 1);
        return job;
    }

    /** What another instance's keeper does: take over the RUNNING jobs whose lease ran out. */
    private int anotherInstanceTakesOverExpiredLeases() {
        return store.takeOverExpiredLeases(clock.instant(), MAX_ATTEMPTS);
    }

    @Test
    void aRenewedLeaseRunsALeaseFromTheRenewalSoNoOtherInstanceTakesTheJobMeanwhile() {
        Job job = running("renewed");
        clock.advance(Duration.ofSeconds(20));

        keeper.keepLeasesOnce();

        clock.advance(Duration.ofSeconds(20)); // 40 s after the claim, 20 s after the renewal
        assertThat(anotherInstanceTakesOverExpiredLeases()).isZero();
        assertThat(store.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        clock.advance(Duration.ofSeconds(11)); // past the renewed lease, with no round in between
        assertThat(anotherInstanceTakesOverExpiredLeases()).isEqualTo(1);
    }

    @Test
    void aRunWhoseJobAnotherInstanceTookOverIsStoppedWithTheReasonLeaseLost() {
        Job job = running("lost");
        clock.advance(LEASE.plusSeconds(1)); // this instance stalled: no round in time
        assertThat(anotherInstanceTakesOverExpiredLeases()).isEqualTo(1);

        keeper.keepLeasesOnce();

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(job.id()));
        assertThat(gate.cancelReason("lost")).isEqualTo(CancelReason.LEASE_LOST);
        assertThat(outcomes.pending(job.id()).orElseThrow().requeue()).isTrue();
    }

    @Test
    void aCancelAskedThroughAnotherInstanceStopsTheRunHere() {
        Job job = running("elsewhere");
        assertThat(store.cancel(job.id(), clock.instant()).outcome()).isEqualTo(CancelOutcome.REQUESTED);

        keeper.keepLeasesOnce();

        await().atMost(Duration.ofSeconds(10)).until(() -> finished.contains(job.id()));
        assertThat(gate.cancelReason("elsewhere")).isEqualTo(CancelReason.REQUESTED);
        assertThat(outcomes.pending(job.id()).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    }

    @Test
    void theJobsOfAnInstanceThatStoppedRenewingAreTakenOverAndTheWorkersWoken() {
        String id = Jobs.insert(store, types, clock, "gate", "{\"gate\":\"orphan\"}");
        Instant now = clock.instant();
        store.claim(new JobStore.ClaimRequest(1, "gone/1", "gone", now, now.plus(LEASE), MAX_ATTEMPTS, 1));
        keeper.keepLeasesOnce();
        assertThat(wakes).as("its lease has not run out yet").hasValue(0);

        clock.advance(LEASE.plusSeconds(1));
        keeper.keepLeasesOnce();

        assertThat(wakes).hasValue(1);
        Job job = store.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isEqualTo(1);
    }

    @Test
    void aStopEndsTheKeepersThreadAtOnceNotAfterAThirdOfTheLease() throws Exception {
        LeaseKeeper hourly = new LeaseKeeper(store, clock, OWNER, Duration.ofHours(3), MAX_ATTEMPTS, runner,
                new ClaimedJobs(store, clock, new JobPool.Settings(1, "test", MAX_ATTEMPTS, Duration.ofHours(3),
                        Duration.ofMillis(50)), OWNER, new DrainAdmission(types, new RunTimes()), new RunTimes(), () -> Mode.OPEN,
                        () -> { }, JobEvents.NONE, finished::add),
                wakes::incrementAndGet);
        Thread thread = hourly.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);

        hourly.stop();

        thread.join(5_000);
        assertThat(thread.isAlive()).isFalse();
    }
}
