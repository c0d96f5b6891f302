package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;
import dev.quiesce.store.JobStore.BulkAction;
import dev.quiesce.store.JobStore.BulkBatch;
import dev.quiesce.store.JobStore.Changed;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.Inserted;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.store.JobStore.RetryOutcome;
import dev.quiesce.store.JobStore.RetryResult;
import dev.quiesce.testing.MutableClock;

/**
 * What an operator may do to jobs - a retry by hand, bulk retries and cancels by filter - the same on every
 * database; each runs it through a subclass that opens a fresh store.
 */
@Timeout(60)
abstract class JobActionsContractTest {

    private static final int MAX_ATTEMPTS = 5;
    private static final Duration WAIT = Duration.ofSeconds(10);

    protected final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobIds ids = new JobIds(clock);
    private TestStores.Opened opened;
    protected JobStore store;

    /** A fresh, empty, migrated store. */
    protected abstract TestStores.Opened open();

    @BeforeEach
    void openStore() {
        opened = open();
        store = opened.jobs();
    }

    @AfterEach
    void closeStore() {
        opened.close();
    }

    private String insert(String type, RunOptions options) {
        return ((Inserted) store.insert(new NewJob(ids.next(), type, "{}", null, null, clock.instant(), options),
                1_000_000)).job().id();
    }

    private ClaimRequest claim(int max, String owner) {
        Instant now = clock.instant();
        return new ClaimRequest(max, owner, "instance-" + owner, now, now.plusSeconds(30), MAX_ATTEMPTS, max);
    }

    /** Claims the one QUEUED job and ends its run as {@code status}. */
    private Job runAndEnd(JobStatus status, String error) {
        Job running = store.claim(claim(1, "o")).started().get(0);
        store.record(List.of(FinishedJob.ended(running, "o", status, clock.instant(), Duration.ZERO, null, error)));
        return store.find(running.id()).orElseThrow();
    }

    private String failed(String type) {
        String id = insert(type, RunOptions.NOW);
        assertThat(runAndEnd(JobStatus.FAILED, "boom").status()).isEqualTo(JobStatus.FAILED);
        return id;
    }

    @Test
    void aFailedJobRetriedByHandIsQueuedWithItsCountsKeptAndAFreshSetOfRetries() {
        String id = insert("sleep", RunOptions.of(null, 5, null, 1));
        Job first = store.claim(claim(1, "o1")).started().get(0);
        store.record(List.of(FinishedJob.retried(first, "o1", clock.instant(), Duration.ZERO, "first",
                clock.instant())));
        Job second = store.claim(claim(1, "o2")).started().get(0);
        assertThat(second.mayRetry()).isFalse();
        clock.advance(Duration.ofSeconds(1));
        store.record(List.of(FinishedJob.ended(second, "o2", JobStatus.FAILED, clock.instant(), Duration.ZERO, null,
                "second")));
        long queuedBefore = store.lastKnownQueued().count();
        clock.advance(Duration.ofMinutes(1));

        RetryResult result = store.retry(id, clock.instant(), WAIT);

        assertThat(result.outcome()).isEqualTo(RetryOutcome.RETRIED);
        Job retried = store.find(id).orElseThrow();
        assertThat(result.job()).isEqualTo(retried);
        assertThat(retried.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(retried.attempts()).isEqualTo(2);
        assertThat(retried.failures()).isEqualTo(2);
        assertThat(retried.finishedAt()).isNull();
        assertThat(retried.result()).isNull();
        assertThat(retried.error()).as("the last failure stays until the next run ends").isEqualTo("second");
        assertThat(retried.failuresSinceRetried()).isZero();
        assertThat(retried.mayRetry()).isTrue();
        assertThat(store.lastKnownQueued().count()).isEqualTo(queuedBefore + 1);
        assertThat(store.countQueued()).isEqualTo(queuedBefore + 1);

        // Its next failed run uses the fresh retry: it waits SCHEDULED instead of ending FAILED.
        Job third = store.claim(claim(1, "o3")).started().get(0);
        assertThat(third.mayRetry()).isTrue();
        store.record(List.of(FinishedJob.retried(third, "o3", clock.instant(), Duration.ZERO, "third",
                clock.instant().plusSeconds(1))));
        Job waiting = store.find(id).orElseThrow();
        assertThat(waiting.status()).isEqualTo(JobStatus.SCHEDULED);
        assertThat(waiting.failures()).isEqualTo(3);
        assertThat(waiting.attempts()).isEqualTo(3);
        assertThat(waiting.mayRetry()).isFalse();
    }

    @Test
    void aPoisonJobRetriedByHandRunsAgainInsteadOfFailingAtOnce() {
        String id = insert("sleep", RunOptions.NOW);
        for (int start = 1; start <= MAX_ATTEMPTS; start++) {
            Job running = store.claim(claim(1, "o" + start)).started().get(0);
            store.record(List.of(FinishedJob.requeued(running, "o" + start, clock.instant(), Duration.ZERO)));
        }
        assertThat(store.claim(claim(1, "poisoner")).poisoned()).extracting(Job::id).containsExactly(id);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.FAILED);

        assertThat(store.retry(id, clock.instant(), WAIT).outcome()).isEqualTo(RetryOutcome.RETRIED);

        JobStore.ClaimResult claimed = store.claim(claim(1, "again"));
        assertThat(claimed.poisoned()).isEmpty();
        assertThat(claimed.started()).extracting(Job::id).containsExactly(id);
        assertThat(claimed.started().get(0).attempts()).isEqualTo(MAX_ATTEMPTS + 1);
        assertThat(claimed.started().get(0).unfinishedStarts()).isEqualTo(1);
    }

    @Test
    void onlyFailedOrCancelledJobsAreRetriedAndAnUnknownOneIsNotFound() {
        String succeeded = insert("sleep", RunOptions.NOW);
        runAndEnd(JobStatus.SUCCEEDED, null);
        String running = insert("sleep", RunOptions.NOW);
        store.claim(claim(1, "o"));
        String queued = insert("sleep", RunOptions.NOW);
        String scheduled = insert("sleep", RunOptions.of(clock.instant().plusSeconds(60), 5));

        for (String id : List.of(succeeded, running, queued, scheduled)) {
            RetryResult result = store.retry(id, clock.instant(), WAIT);
            assertThat(result.outcome()).as(id).isEqualTo(RetryOutcome.NOT_RETRYABLE);
            assertThat(result.job()).isEqualTo(store.find(id).orElseThrow());
        }
        assertThat(store.find(succeeded).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.retry(ids.next(), clock.instant(), WAIT))
                .isEqualTo(new RetryResult(RetryOutcome.NOT_FOUND, null));
    }

    @Test
    void aCancelledJobForLaterRetriedByHandIsDueAtOnce() {
        String later = insert("sleep", RunOptions.of(clock.instant().plusSeconds(3600), 5));
        assertThat(store.cancel(later, clock.instant()).outcome()).isEqualTo(CancelOutcome.CANCELLED);

        RetryResult result = store.retry(later, clock.instant(), WAIT);

        assertThat(result.outcome()).isEqualTo(RetryOutcome.RETRIED);
        assertThat(result.job().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(result.job().options().runAt()).isEqualTo(clock.instant());
        assertThat(store.claim(claim(1, "o")).started()).extracting(Job::id).containsExactly(later);
    }

    @Test
    void aJobCancelledWhileRunningIsRetriedWithoutItsOldCancelRequest() {
        String id = insert("sleep", RunOptions.NOW);
        Job running = store.claim(claim(1, "o1")).started().get(0);
        assertThat(store.cancel(id, clock.instant()).outcome()).isEqualTo(CancelOutcome.REQUESTED);
        store.record(List.of(FinishedJob.ended(running, "o1", JobStatus.CANCELLED, clock.instant(), Duration.ZERO,
                null, "cancelled by request")));
        assertThat(store.find(id).orElseThrow().cancelRequested()).isTrue();

        assertThat(store.retry(id, clock.instant(), WAIT).job().cancelRequested()).isFalse();

        Job again = store.claim(claim(1, "o2")).started().get(0);
        assertThat(again.id()).isEqualTo(id);
        assertThat(store.renewLeases("o2", List.of(id), clock.instant().plusSeconds(30)).cancelRequested())
                .as("the new run is not stopped by the old request").isEmpty();
    }

    @Test
    void aBulkRetryMovesTheMatchingJobsInBatchesOldestFirstAndLeavesTheOthers() {
        List<String> sleeps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sleeps.add(failed("sleep"));
        }
        String otherType = failed("compute");
        String cancelled = insert("sleep", RunOptions.NOW);
        store.cancel(cancelled, clock.instant());
        long queuedBefore = store.countQueued();

        List<String> changed = new ArrayList<>();
        List<Integer> matched = new ArrayList<>();
        String after = null;
        while (true) {
            BulkBatch batch = store.changeBatch(BulkAction.RETRY, JobStatus.FAILED, "sleep", after, 2,
                    clock.instant(), WAIT);
            if (batch.lastId() == null) {
                break;
            }
            matched.add(batch.matched());
            batch.changed().forEach(job -> changed.add(job.id()));
            after = batch.lastId();
        }

        assertThat(matched).containsExactly(2, 2, 1);
        assertThat(changed).containsExactlyElementsOf(sleeps);
        for (String id : sleeps) {
            Job job = store.find(id).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
            assertThat(job.failures()).isEqualTo(1);
            assertThat(job.mayRetry()).isFalse(); // retries 0: a fresh set of none
            assertThat(job.finishedAt()).isNull();
        }
        assertThat(store.find(otherType).orElseThrow().status()).isEqualTo(JobStatus.FAILED);
        assertThat(store.find(cancelled).orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(store.countQueued()).isEqualTo(queuedBefore + 5);
        assertThat(store.lastKnownQueued().count()).isEqualTo(queuedBefore + 5);
    }

    @Test
    void aBulkRetryWithoutATypeTakesEveryTypeAndCancelledJobsToo() {
        String sleep = failed("sleep");
        String compute = failed("compute");
        String cancelled = insert("compute", RunOptions.NOW);
        store.cancel(cancelled, clock.instant());

        BulkBatch failedOnes = store.changeBatch(BulkAction.RETRY, JobStatus.FAILED, null, null, 100,
                clock.instant(), WAIT);
        BulkBatch cancelledOnes = store.changeBatch(BulkAction.RETRY, JobStatus.CANCELLED, null, null, 100,
                clock.instant(), WAIT);

        assertThat(failedOnes.changed()).containsExactly(new Changed(sleep, "sleep"), new Changed(compute,
                "compute"));
        assertThat(cancelledOnes.changed()).containsExactly(new Changed(cancelled, "compute"));
        assertThat(store.countQueued()).isEqualTo(3);
    }

    @Test
    void aBulkCancelEndsQueuedAndScheduledJobsAtOnceAndAsksRunningOnesToStop() {
        String running = insert("sleep", RunOptions.NOW);
        store.claim(claim(1, "owner"));
        String queuedA = insert("sleep", RunOptions.NOW);
        String queuedB = insert("sleep", RunOptions.NOW);
        String queuedOther = insert("compute", RunOptions.NOW);
        String scheduled = insert("sleep", RunOptions.of(clock.instant().plusSeconds(60), 5));
        assertThat(store.lastKnownQueued().count()).isEqualTo(3);

        BulkBatch queued = store.changeBatch(BulkAction.CANCEL, JobStatus.QUEUED, "sleep", null, 100,
                clock.instant(), WAIT);
        BulkBatch later = store.changeBatch(BulkAction.CANCEL, JobStatus.SCHEDULED, null, null, 100,
                clock.instant(), WAIT);
        BulkBatch runs = store.changeBatch(BulkAction.CANCEL, JobStatus.RUNNING, null, null, 100, clock.instant(),
                WAIT);
        BulkBatch again = store.changeBatch(BulkAction.CANCEL, JobStatus.RUNNING, null, null, 100, clock.instant(),
                WAIT);

        assertThat(queued.changed()).extracting(Changed::id).containsExactly(queuedA, queuedB);
        assertThat(later.changed()).extracting(Changed::id).containsExactly(scheduled);
        for (String id : List.of(queuedA, queuedB, scheduled)) {
            Job job = store.find(id).orElseThrow();
            assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
            assertThat(job.finishedAt()).isEqualTo(clock.instant());
        }
        assertThat(store.find(queuedOther).orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(store.lastKnownQueued().count()).isEqualTo(1);
        assertThat(store.countQueued()).isEqualTo(1);

        assertThat(runs.changed()).extracting(Changed::id).containsExactly(running);
        assertThat(again.matched()).as("asked once already").isEqualTo(1);
        assertThat(again.changed()).isEmpty();
        assertThat(store.find(running).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.renewLeases("owner", List.of(running), clock.instant().plusSeconds(30)).cancelRequested())
                .containsExactly(running);
    }

    @Test
    void aBulkChangeRefusesAStatusItDoesNotApplyTo() {
        assertThatThrownBy(() -> store.changeBatch(BulkAction.RETRY, JobStatus.QUEUED, null, null, 10,
                clock.instant(), WAIT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.changeBatch(BulkAction.CANCEL, JobStatus.FAILED, null, null, 10,
                clock.instant(), WAIT)).isInstanceOf(IllegalArgumentException.class);
    }
}
