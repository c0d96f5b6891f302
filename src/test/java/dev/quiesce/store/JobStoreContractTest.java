package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelResult;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;
import dev.quiesce.lifecycle.PhaseState;
import dev.quiesce.lifecycle.PhaseStatus;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.Conflict;
import dev.quiesce.store.JobStore.Existing;
import dev.quiesce.store.JobStore.Full;
import dev.quiesce.store.JobStore.Inserted;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.testing.MutableClock;

/**
 * What every store must do, whatever the database. Each database runs this same contract through a
 * subclass that says how to open a fresh, empty store.
 */
@Timeout(60)
abstract class JobStoreContractTest {

    protected final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobIds ids = new JobIds(clock);
    private TestStores.Opened opened;
    protected JobStore store;

    /** A fresh, empty, migrated store. */
    protected abstract TestStores.Opened open();

    /** The store this test opened, with its data source. */
    protected TestStores.Opened opened() {
        return opened;
    }

    @BeforeEach
    void openStore() {
        opened = open();
        store = opened.jobs();
    }

    @AfterEach
    void closeStore() {
        opened.close();
    }

    private NewJob job(String key, String hash) {
        return new NewJob(ids.next(), "sleep", "{\"durationMs\":1}", key, hash, clock.instant());
    }

    private String insert() {
        return ((Inserted) store.insert(job(null, null), 1_000)).job().id();
    }

    private ClaimRequest claim(int max, String owner) {
        Instant now = clock.instant();
        return new ClaimRequest(max, owner, "instance-" + owner, now, now.plusSeconds(30), 5, max);
    }

    @Test
    void aStoredJobIsQueuedWithNoAttempts() {
        String id = insert();
        Job job = store.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(job.attempts()).isZero();
        assertThat(job.params()).isEqualTo("{\"durationMs\":1}");
        assertThat(job.submittedAt()).isEqualTo(clock.instant());
        assertThat(store.find("01000000-0000-7000-8000-000000000000")).isEmpty();
    }

    @Test
    void anIdempotencyKeyReturnsTheSameJobForTheSameRequestAndConflictsForAnother() {
        Inserted first = (Inserted) store.insert(job("k1", "hash-a"), 1_000);
        assertThat(store.insert(job("k1", "hash-a"), 1_000)).isInstanceOfSatisfying(Existing.class,
                existing -> assertThat(existing.job().id()).isEqualTo(first.job().id()));
        assertThat(store.insert(job("k1", "hash-b"), 1_000)).isInstanceOfSatisfying(Conflict.class,
                conflict -> assertThat(conflict.job().id()).isEqualTo(first.job().id()));
        assertThat(store.list(null, null, 10)).hasSize(1);
    }

    @Test
    void theQueueCapacityCountsQueuedJobsOnly() {
        String a = insert();
        insert();
        assertThat(store.insert(job(null, null), 2)).isInstanceOf(Full.class);
        store.cancel(a, clock.instant());
        assertThat(store.insert(job(null, null), 2)).isInstanceOf(Inserted.class);
        assertThat(store.countQueued()).isEqualTo(2);
    }

    @Test
    void claimsTakeTheOldestQueuedJobsAndCountAnAttempt() {
        String first = insert();
        clock.advance(Duration.ofMillis(5));
        String second = insert();
        insert();
        List<Job> claimed = store.claim(claim(2, "o1")).started();
        assertThat(claimed).extracting(Job::id).containsExactly(first, second);
        assertThat(claimed).allSatisfy(job -> {
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertThat(job.attempts()).isEqualTo(1);
            assertThat(job.instance()).isEqualTo("instance-o1");
        });
        assertThat(store.find(first).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.claim(claim(5, "o2")).started()).hasSize(1);
        assertThat(store.claim(claim(5, "o3")).started()).isEmpty();
    }

    private String insert(RunOptions options) {
        return ((Inserted) store.insert(new NewJob(ids.next(), "sleep", "{\"durationMs\":1}", null, null,
                clock.instant(), options), 1_000)).job().id();
    }

    @Test
    void aJobForLaterIsScheduledAndNoClaimTakesItUntilItIsDue() {
        String later = insert(RunOptions.of(clock.instant().plus(Duration.ofHours(1)), RunOptions.DEFAULT_PRIORITY));
        Job stored = store.find(later).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(stored.options().runAt()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(store.countQueued()).isZero();
        assertThat(store.claim(claim(5, "o1")).started()).isEmpty();
        assertThat(store.nextQueued(10, TestStores.TIMEOUT)).isEmpty();

        clock.advance(Duration.ofMinutes(59));
        assertThat(store.claim(claim(5, "o1")).started()).isEmpty();
        clock.advance(Duration.ofMinutes(1));
        assertThat(store.claim(claim(5, "o1")).started()).extracting(Job::id).containsExactly(later);
        assertThat(store.claim(claim(5, "o2")).started()).as("promoted and claimed once").isEmpty();
        assertThat(store.find(later).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aJobWhoseTimeHasComeWhenStoredIsQueuedAtOnce() {
        String now = insert(RunOptions.of(clock.instant(), RunOptions.DEFAULT_PRIORITY));
        assertThat(store.find(now).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.countQueued()).isEqualTo(1);
    }

    @Test
    void dueJobsAreClaimedByPriorityThenAgeAndTheDrainReadsThemInTheSameOrder() {
        String low = insert(RunOptions.of(null, 1));
        clock.advance(Duration.ofMillis(1));
        String normal = insert(RunOptions.NOW);
        clock.advance(Duration.ofMillis(1));
        String urgent = insert(RunOptions.of(null, 9));
        clock.advance(Duration.ofMillis(1));
        String urgentLater = insert(RunOptions.of(null, 9));
        List<String> order = List.of(urgent, urgentLater, normal, low);

        assertThat(store.nextQueued(10, TestStores.TIMEOUT)).extracting(Job::id).containsExactlyElementsOf(order);
        assertThat(store.claim(claim(3, "o1")).started()).extracting(Job::id).containsExactly(urgent, urgentLater,
                normal);
        assertThat(store.claim(claim(3, "o1")).started()).extracting(Job::id).containsExactly(low);
        assertThat(store.find(urgent).orElseThrow().options().priority()).isEqualTo(9);
    }

    @Test
    void aDueScheduledJobTakesItsPlaceByPriorityAmongTheQueuedOnes() {
        String scheduledUrgent = insert(RunOptions.of(clock.instant().plusSeconds(10), 9));
        clock.advance(Duration.ofMillis(1));
        String queuedNormal = insert(RunOptions.NOW);
        clock.advance(Duration.ofSeconds(10));
        assertThat(store.claim(claim(2, "o1")).started()).extracting(Job::id)
                .containsExactly(scheduledUrgent, queuedNormal);
    }

    @Test
    void jobsForLaterWaitOutsideTheQueueCapacityAndACancelEndsThemAtOnce() {
        insert();
        String later = ((Inserted) store.insert(new NewJob(ids.next(), "sleep", "{\"durationMs\":1}", null, null,
                clock.instant(), RunOptions.of(clock.instant().plusSeconds(60), 5)), 1)).job().id();
        assertThat(store.insert(job(null, null), 1)).isInstanceOf(Full.class);
        assertThat(store.cancel(later, clock.instant()).outcome()).isEqualTo(CancelOutcome.CANCELLED);
        Job cancelled = store.find(later).orElseThrow();
        assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(cancelled.finishedAt()).isEqualTo(clock.instant());
        assertThat(store.countQueued()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.claim(claim(5, "o1")).started()).extracting(Job::id).doesNotContain(later);
    }

    @Test
    void failedRunsWithRetriesComeBackScheduledAndThePoisonGuardCountsOnlyStartsThatNeverFinished() {
        String id = insert(RunOptions.of(null, 5, null, 10));
        for (int run = 1; run <= 6; run++) {
            List<Job> started = store.claim(claim(1, "o" + run)).started();
            assertThat(started).as("run %d: %d failed runs finished, not poison", run, run - 1).hasSize(1);
            Job job = started.get(0);
            Instant retryAt = clock.instant().plusSeconds(run);
            store.record(List.of(FinishedJob.retried(job, "o" + run, clock.instant(), Duration.ZERO, "boom " + run,
                    retryAt)));
            Job waiting = store.find(id).orElseThrow();
            assertThat(waiting.status()).isEqualTo(JobStatus.SCHEDULED);
            assertThat(waiting.failures()).isEqualTo(run);
            assertThat(waiting.error()).isEqualTo("boom " + run);
            assertThat(waiting.options().runAt()).isEqualTo(retryAt);
            assertThat(waiting.options().retries()).isEqualTo(10);
            clock.advance(Duration.ofSeconds(run));
        }
        Job sixth = store.find(id).orElseThrow();
        assertThat(sixth.attempts()).isEqualTo(6);
        assertThat(store.countQueued()).isZero();
    }

    @Test
    void aFinalFailureCountsAsAFailedRunAndASuccessDoesNot() {
        String failing = insert(RunOptions.NOW);
        String passing = insert(RunOptions.NOW);
        List<Job> started = store.claim(claim(2, "o1")).started();
        Job a = started.stream().filter(job -> job.id().equals(failing)).findFirst().orElseThrow();
        Job b = started.stream().filter(job -> job.id().equals(passing)).findFirst().orElseThrow();
        store.record(List.of(FinishedJob.ended(a, "o1", JobStatus.FAILED, clock.instant(), Duration.ZERO, null, "x"),
                FinishedJob.ended(b, "o1", JobStatus.SUCCEEDED, clock.instant(), Duration.ZERO, "{}", null)));
        assertThat(store.find(failing).orElseThrow().failures()).isEqualTo(1);
        assertThat(store.find(passing).orElseThrow().failures()).isZero();
    }

    @Test
    void aClaimOfChosenIdsStartsOnlyThoseStillQueuedOldestFirstAndNoneAnotherOwnerTookMeanwhile() {
        String taken = insert();
        clock.advance(Duration.ofMillis(1));
        String first = insert();
        clock.advance(Duration.ofMillis(1));
        String notChosen = insert();
        clock.advance(Duration.ofMillis(1));
        String second = insert();
        List<Job> candidates = store.nextQueued(10, TestStores.TIMEOUT);
        assertThat(candidates).extracting(Job::id).containsExactly(taken, first, notChosen, second);
        assertThat(store.claim(claim(1, "other")).started()).extracting(Job::id).as("taken meanwhile")
                .containsExactly(taken);

        List<Job> claimed = store.claim(claim(5, "drain").only(List.of(second, taken, first))).started();

        assertThat(claimed).extracting(Job::id).containsExactly(first, second);
        assertThat(claimed).allSatisfy(job -> assertThat(job.instance()).isEqualTo("instance-drain"));
        Job stillTheOthers = store.find(taken).orElseThrow();
        assertThat(stillTheOthers.attempts()).as("not started twice").isEqualTo(1);
        assertThat(stillTheOthers.instance()).isEqualTo("instance-other");
        assertThat(store.find(notChosen).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.nextQueued(10, TestStores.TIMEOUT)).extracting(Job::id).containsExactly(notChosen);
        assertThat(store.lastKnownQueued().count()).isOne();
    }

    @Test
    void aClaimOfChosenIdsStillFailsThePoisonJobsItLooksAt() {
        String poison = insert();
        clock.advance(Duration.ofMillis(1));
        String chosen = insert();
        store.claim(claim(1, "dead"));
        store.recoverAbandoned(clock.instant().plus(Duration.ofMinutes(5)), 5); // queued again, started once
        Instant now = clock.instant();

        JobStore.ClaimResult result = store.claim(new ClaimRequest(5, "o", "i", now, now.plusSeconds(30), 1, 5)
                .only(List.of(chosen)));

        assertThat(result.poisoned()).extracting(Job::id).containsExactly(poison);
        assertThat(result.started()).extracting(Job::id).containsExactly(chosen);
        assertThat(store.find(poison).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void aClaimLimitedToSomeIdsSkipsTheOthers() {
        String refused = insert();
        String admitted = insert();
        Instant now = clock.instant();
        List<Job> claimed = store.claim(new ClaimRequest(1, "o", "i", now, now.plusSeconds(30), 5, 10)
                .only(List.of(admitted))).started();
        assertThat(claimed).extracting(Job::id).containsExactly(admitted);
        assertThat(store.find(refused).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void anOutcomeIsWrittenOnlyByTheRunThatOwnsTheJob() {
        String id = insert();
        Job running = store.claim(claim(1, "owner")).started().get(0);
        FinishedJob late = FinishedJob.ended(running, "intruder", JobStatus.FAILED, clock.instant(), Duration.ZERO,
                null, "late");
        assertThat(store.record(List.of(late)).rows()).isZero();
        FinishedJob mine = FinishedJob.ended(running, "owner", JobStatus.SUCCEEDED, clock.instant(), Duration.ZERO,
                "{\"sleptMs\":1}", null);
        assertThat(store.record(List.of(mine)).rows()).isEqualTo(1);
        Job job = store.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(job.result()).isEqualTo("{\"sleptMs\":1}");
        assertThat(job.finishedAt()).isEqualTo(clock.instant());
    }

    @Test
    void aLateWriteFromARunThatLostItsLeaseCannotOverwriteTheNewOwnersOutcome() {
        String id = insert();
        Job first = store.claim(claim(1, "a")).started().get(0);
        clock.advance(Duration.ofSeconds(31)); // a's lease (30 s) runs out: a is dead or cut off from the store
        assertThat(store.takeOverExpiredLeases(clock.instant(), 5)).isEqualTo(1);
        Job second = store.claim(claim(1, "b")).started().get(0);
        assertThat(second.attempts()).isEqualTo(2);
        assertThat(store.renewLeases("a", List.of(id), clock.instant().plusSeconds(30)).kept()).isEmpty();
        FinishedJob late = FinishedJob.ended(first, "a", JobStatus.FAILED, clock.instant(), Duration.ZERO, null,
                "a's late write");
        assertThat(store.record(List.of(late)).rows()).isZero();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        FinishedJob mine = FinishedJob.ended(second, "b", JobStatus.SUCCEEDED, clock.instant(), Duration.ZERO,
                "{}", null);
        assertThat(store.record(List.of(mine)).rows()).isEqualTo(1);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.find(id).orElseThrow().instance()).isEqualTo("instance-b");
    }

    @Test
    void theOwnerRenewsItsLeaseAndLearnsOfCancelRequests() {
        String id = insert();
        store.claim(claim(1, "a"));
        store.cancel(id, clock.instant());
        clock.advance(Duration.ofSeconds(20));
        JobStore.LeaseRenewal renewal = store.renewLeases("a", List.of(id), clock.instant().plusSeconds(30));
        assertThat(renewal.kept()).containsExactly(id);
        assertThat(renewal.cancelRequested()).containsExactly(id);
        clock.advance(Duration.ofSeconds(20)); // past the first lease, within the renewed one
        assertThat(store.takeOverExpiredLeases(clock.instant(), 5)).isZero();
    }

    @Test
    void aReleasedClaimIsQueuedAgainAsIfItHadNotBeenClaimed() {
        String id = insert();
        Job claimed = store.claim(claim(1, "o")).started().get(0);
        assertThat(store.release("someone-else", List.of(claimed))).isZero();
        assertThat(store.release("o", List.of(claimed))).isEqualTo(1);
        Job back = store.find(id).orElseThrow();
        assertThat(back.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(back.attempts()).isZero();
        assertThat(back.startedAt()).isNull();
        assertThat(back.instance()).isNull();
        assertThat(store.countQueued()).isEqualTo(1);
        assertThat(store.claim(claim(1, "o2")).started()).singleElement()
                .satisfies(job -> assertThat(job.attempts()).isEqualTo(1));
    }

    @Test
    void aRequeuedJobIsQueuedAgainAndItsNextClaimCountsAgain() {
        String id = insert();
        Job running = store.claim(claim(1, "o")).started().get(0);
        store.record(List.of(FinishedJob.requeued(running, "o", clock.instant(), Duration.ZERO)));
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.claim(claim(1, "o2")).started()).singleElement()
                .satisfies(job -> assertThat(job.attempts()).isEqualTo(2));
    }

    @Test
    void cancellingAnswersByTheJobsStatus() {
        String queued = insert();
        String running = insert();
        store.claim(new ClaimRequest(1, "o", "i", clock.instant(), clock.instant().plusSeconds(30), 5, 5)
                .only(List.of(running)));
        assertThat(store.cancel(queued, clock.instant()).outcome()).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(store.find(queued).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.cancel(queued, clock.instant()).outcome()).isEqualTo(CancelOutcome.ALREADY_FINISHED);
        assertThat(store.cancel(running, clock.instant()).outcome()).isEqualTo(CancelOutcome.REQUESTED);
        assertThat(store.find(running).orElseThrow().cancelRequested()).isTrue();
        assertThat(store.cancel("01000000-0000-7000-8000-000000000000", clock.instant()).outcome())
                .isEqualTo(CancelOutcome.NOT_FOUND);
    }

    @Test
    void cancellingAJobAnotherOwnerRunsOnlyRequestsItAndItsOwnerLearnsOfItWhenItRenews() {
        String id = insert();
        store.claim(claim(1, "b"));

        CancelResult result = store.cancel(id, clock.instant());

        assertThat(result.outcome()).isEqualTo(CancelOutcome.REQUESTED);
        assertThat(result.job().status()).isEqualTo(JobStatus.RUNNING);
        Job stored = store.find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stored.cancelRequested()).isTrue();
        JobStore.LeaseRenewal renewal = store.renewLeases("b", List.of(id), clock.instant().plusSeconds(30));
        assertThat(renewal.kept()).containsExactly(id);
        assertThat(renewal.cancelRequested()).containsExactly(id);
        assertThat(store.cancel(id, clock.instant()).outcome()).as("asked again: still only requested")
                .isEqualTo(CancelOutcome.REQUESTED);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void theQueuedCountInMemoryFollowsInsertsClaimsCancelsAndReleasesWithoutCountingAgain() {
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(0, null));
        Instant counted = clock.instant();
        String a = insert();
        insert();
        String c = insert();
        String d = insert();
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(4, counted));
        clock.advance(Duration.ofMinutes(1)); // the changes below count nothing: the time of the count stays

        List<Job> claimed = store.claim(claim(2, "o")).started();
        assertThat(claimed).extracting(Job::id).contains(a);
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(2, counted));
        store.cancel(c, clock.instant());
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(1, counted));
        store.cancel(a, clock.instant()); // running: only requested, still not queued
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(1, counted));
        assertThat(store.release("o", claimed)).isEqualTo(2);
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(3, counted));
        store.cancel(d, clock.instant());
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(2, counted));
        assertThat(store.countQueued()).isEqualTo(2);
    }

    /** Inserts jobs due now until the store answers full at {@code capacity}; returns the ids it took. */
    private List<String> fill(int capacity) {
        List<String> taken = new ArrayList<>();
        while (store.insert(job(null, null), capacity) instanceof Inserted inserted) {
            taken.add(inserted.job().id());
            assertThat(taken).as("no more than the capacity fits").hasSizeLessThanOrEqualTo(capacity);
        }
        return taken;
    }

    /** The next job due now is refused, with {@code queued} as counted, and the database holds as many. */
    private void assertFullAt(int capacity, long queued) {
        assertThat(store.insert(job(null, null), capacity)).isInstanceOfSatisfying(Full.class,
                full -> assertThat(full.queued()).isEqualTo(queued));
        assertThat(store.countQueued()).isEqualTo(queued);
    }

    /** As another instance of a fleet would, or anything else this store's memory cannot hear of. */
    protected void queueBehindTheStoresBack(int jobs) throws Exception {
        try (var connection = opened.dataSource().getConnection();
                var other = connection.prepareStatement("INSERT INTO jobs (id, type, params, status, submitted_at) "
                        + "VALUES (?, 'sleep', '{}', 'QUEUED', ?)")) {
            for (int i = 0; i < jobs; i++) {
                other.setString(1, ids.next());
                other.setLong(2, clock.instant().toEpochMilli());
                assertThat(other.executeUpdate()).isOne();
            }
        }
    }

    @Test
    void theCapacityRefusesExactlyAtItWhileClaimsPromotionsCancelsReleasesAndRetriesMoveTheCount() {
        int capacity = 40;
        insert(RunOptions.of(clock.instant().plusSeconds(10), 1)); // for later: outside the capacity
        insert(RunOptions.of(clock.instant().plusSeconds(10), 1));
        List<String> queued = fill(capacity);
        assertThat(queued).hasSize(capacity);
        assertFullAt(capacity, capacity);

        List<Job> claimed = store.claim(claim(3, "o")).started();
        assertThat(claimed).hasSize(3);
        assertThat(fill(capacity)).as("a claim of 3 makes room for 3").hasSize(3);
        assertFullAt(capacity, capacity);

        assertThat(store.cancel(queued.get(10), clock.instant()).outcome()).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(store.cancel(queued.get(11), clock.instant()).outcome()).isEqualTo(CancelOutcome.CANCELLED);
        assertThat(fill(capacity)).as("two cancels make room for two").hasSize(2);
        assertFullAt(capacity, capacity);

        clock.advance(Duration.ofSeconds(10));
        assertThat(store.claim(claim(1, "p")).started()).as("two due jobs promoted, one claimed").hasSize(1);
        assertFullAt(capacity, capacity + 1);

        assertThat(store.release("o", claimed)).isEqualTo(3);
        assertFullAt(capacity, capacity + 4);

        assertThat(store.changeBatch(JobStore.BulkAction.CANCEL, JobStatus.QUEUED, null, null, 6, clock.instant(),
                TestStores.TIMEOUT).changed()).hasSize(6);
        assertThat(fill(capacity)).as("a bulk cancel of 6 makes room for 2").hasSize(2);
        assertFullAt(capacity, capacity);

        assertThat(store.retry(queued.get(10), clock.instant(), TestStores.TIMEOUT).outcome())
                .isEqualTo(JobStore.RetryOutcome.RETRIED);
        assertFullAt(capacity, capacity + 1);

        assertThat(store.recoverAbandoned(clock.instant().plus(Duration.ofMinutes(5)), 5))
                .as("the job claimed by p, its lease run out").isOne();
        assertFullAt(capacity, capacity + 2);
    }

    @Test
    void farFromTheCapacityAnInsertDoesNotCountTheQueueInTheDatabase() {
        insert(); // the first check counts: nothing was counted yet
        Instant counted = clock.instant();
        for (int i = 0; i < 5; i++) {
            clock.advance(Duration.ofMillis(100)); // a count now would have a later time
            insert();
        }
        assertThat(store.lastKnownQueued()).as("the inserts moved the count in memory; its time is the first count's")
                .isEqualTo(new JobStore.QueuedCount(6, counted));
    }

    @Test
    void nearTheCapacityTheCheckCountsInTheDatabase() throws Exception {
        int capacity = 40; // the database counts from 38 on
        for (int i = 0; i < 38; i++) {
            assertThat(store.insert(job(null, null), capacity)).isInstanceOf(Inserted.class);
        }
        queueBehindTheStoresBack(2);
        clock.advance(Duration.ofMillis(100));

        assertFullAt(capacity, capacity);
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(capacity, clock.instant()));
    }

    @Test
    void aProbeLearnsTheQueuedCountFromTheDatabaseWithItsTime() throws Exception {
        insert();
        Instant counted = clock.instant();
        // Another instance queues a job: this one's memory cannot know.
        try (var connection = opened.dataSource().getConnection();
                var other = connection.prepareStatement("INSERT INTO jobs (id, type, params, status, submitted_at) "
                        + "VALUES (?, 'sleep', '{}', 'QUEUED', ?)")) {
            other.setString(1, ids.next());
            other.setLong(2, clock.instant().toEpochMilli());
            assertThat(other.executeUpdate()).isOne();
        }
        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(1, counted));
        clock.advance(Duration.ofSeconds(7));

        ((JdbcJobStore) store).probe();

        assertThat(store.lastKnownQueued()).isEqualTo(new JobStore.QueuedCount(2, clock.instant()));
    }

    @Test
    void jobsLeftRunningByADeadProcessAreRecoveredAndPoisonJobsFail() {
        String again = insert();
        String poison = insert();
        store.claim(claim(2, "dead"));
        Instant later = clock.instant().plus(Duration.ofMinutes(5));
        int recovered = store.recoverAbandoned(later, 5);
        assertThat(recovered).isEqualTo(2);
        assertThat(store.find(again).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.find(again).orElseThrow().attempts()).isEqualTo(1);
        store.claim(claim(2, "dead-again"));
        store.recoverAbandoned(later.plus(Duration.ofMinutes(5)), 2);
        assertThat(store.find(poison).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(store.find(poison).orElseThrow().error()).contains("poison");
    }

    @Test
    void listsAreNewestFirstAndPageByKeyset() {
        String a = insert();
        clock.advance(Duration.ofMillis(1));
        String b = insert();
        clock.advance(Duration.ofMillis(1));
        String c = insert();
        assertThat(store.list(null, null, 2)).extracting(Job::id).containsExactly(c, b);
        assertThat(store.list(null, b, 2)).extracting(Job::id).containsExactly(a);
        store.cancel(b, clock.instant());
        assertThat(store.list(JobStatus.QUEUED, null, 10)).extracting(Job::id).containsExactly(c, a);
        assertThat(store.list(JobStatus.CANCELLED, null, 10)).extracting(Job::id).containsExactly(b);
    }

    @Test
    void thePurgeDeletesOnlyFinishedJobsOlderThanTheCutoff() {
        String oldFinished = insert();
        store.cancel(oldFinished, clock.instant());
        String oldQueued = insert();
        clock.advance(Duration.ofDays(2));
        String newFinished = insert();
        store.cancel(newFinished, clock.instant());
        assertThat(store.purgeFinishedBefore(clock.instant().minus(Duration.ofDays(1)), 10)).isEqualTo(1);
        assertThat(store.find(oldFinished)).isEmpty();
        assertThat(store.find(oldQueued)).isPresent();
        assertThat(store.find(newFinished)).isPresent();
    }

    @Test
    void onePurgeCallDeletesAtMostItsChunk() {
        List<String> finished = List.of(insert(), insert(), insert());
        finished.forEach(id -> store.cancel(id, clock.instant()));
        clock.advance(Duration.ofDays(2));
        Instant cutoff = clock.instant().minus(Duration.ofDays(1));
        assertThat(store.purgeFinishedBefore(cutoff, 2)).isEqualTo(2);
        assertThat(finished.stream().filter(id -> store.find(id).isPresent())).hasSize(1);
        assertThat(store.purgeFinishedBefore(cutoff, 2)).as("fewer than the chunk: none left").isEqualTo(1);
        assertThat(store.purgeFinishedBefore(cutoff, 2)).isZero();
        assertThat(finished).allSatisfy(id -> assertThat(store.find(id)).isEmpty());
    }

    @Test
    void shutdownReportsAreKeptPerInstanceWithTheNewestOfAnyAsFallback() {
        PhaseStatus jobs = new PhaseStatus("jobs", PhaseState.DONE, clock.instant(), clock.instant(), 5L,
                Map.of("finished", 3L));
        opened.reports().save(new ShutdownReport("a", true, 0, clock.instant(), 5, 3, 0, 0, List.of(jobs)),
                TestStores.TIMEOUT);
        clock.advance(Duration.ofSeconds(1));
        opened.reports().save(new ShutdownReport("b", false, 75, clock.instant(), 9, 0, 2, 0, List.of()),
                TestStores.TIMEOUT);
        Optional<ShutdownReport> own = opened.reports().latest("a");
        assertThat(own).hasValueSatisfying(report -> {
            assertThat(report.clean()).isTrue();
            assertThat(report.phases()).singleElement()
                    .satisfies(phase -> assertThat(phase.counts()).containsEntry("finished", 3L));
        });
        assertThat(opened.reports().latest("new-instance")).hasValueSatisfying(
                report -> assertThat(report.instance()).isEqualTo("b"));
    }

    @Test
    void afterCloseWritesAreRefused() {
        store.close(1_000);
        org.assertj.core.api.Assertions.assertThatThrownBy(this::insert)
                .isInstanceOf(StoreUnavailableException.class);
    }
}
