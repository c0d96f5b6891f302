package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.JobStore.CancelOutcome;
import dev.quiesce.store.JobStore.CancelResult;

/**
 * Reads jobs as a client should see them: the store's row with any outcome not yet written laid over it.
 * Long polls wait on {@link JobWatch}, re-reading every {@link #RECHECK} in case a finish was missed.
 */
public final class JobQueries {

    static final Duration RECHECK = Duration.ofMillis(250);

    private final JobStore store;
    private final OutcomeSink outcomes;
    private final JobPool pool;
    private final JobWatch watch;
    private final JobEvents events;
    private final Clock clock;

    JobQueries(JobStore store, OutcomeSink outcomes, JobPool pool, JobWatch watch, JobEvents events, Clock clock) {
        this.store = store;
        this.outcomes = outcomes;
        this.pool = pool;
        this.watch = watch;
        this.events = events;
        this.clock = clock;
    }

    public Optional<Job> find(String id) {
        return store.find(id).map(this::overlay);
    }

    /**
     * Newest first, as {@link #find} shows them; {@code status} and {@code beforeId} may be null. The rows are
     * the store's rows with {@code status} and also those whose outcome, decided but not yet written, gives
     * them {@code status}: a caller that keeps only the jobs showing {@code status} agrees with {@link #find}
     * (rows in the order of their ids, so keyset paging on them stays exact).
     */
    public List<Job> list(JobStatus status, String beforeId, int limit) {
        Collection<String> decided = status == null ? List.of() : outcomes.pendingWith(status, MAX_PENDING_LISTED);
        return store.list(status, beforeId, limit, decided).stream().map(this::overlay).toList();
    }

    /**
     * Outcomes not yet written that a status list takes into account: a flush interval's worth, normally; more
     * only while the store is down (and then the list fails anyway).
     */
    private static final int MAX_PENDING_LISTED = 1000;

    /**
     * Waits up to {@code max} for the job to finish and answers it as it then is. Ends early when the web
     * server begins its graceful stop.
     */
    public Optional<Job> await(String id, Duration max) throws InterruptedException {
        Instant until = clock.instant().plus(max);
        while (true) {
            CountDownLatch latch = watch.register(id);
            Optional<Job> job = find(id);
            Duration left = Duration.between(clock.instant(), until);
            if (job.isEmpty() || job.get().status().isTerminal() || watch.isReleased() || left.isNegative()
                    || left.isZero()) {
                return job;
            }
            watch.await(id, latch, left.compareTo(RECHECK) < 0 ? left : RECHECK);
        }
    }

    /** Ends every long poll now. */
    public void releaseWaiters() {
        watch.releaseAll();
    }

    public CancelResult cancel(String id) {
        Optional<FinishedJob> decided = outcomes.pending(id);
        if (decided.isPresent() && !decided.get().requeue()) {
            return new CancelResult(CancelOutcome.ALREADY_FINISHED, find(id).orElse(null));
        }
        CancelResult result = store.cancel(id, clock.instant());
        if (result.outcome() == CancelOutcome.REQUESTED) {
            pool.cancel(id, CancelReason.REQUESTED);
        } else if (result.outcome() == CancelOutcome.CANCELLED) {
            events.completed(JobStatus.CANCELLED, result.job().type(), Duration.ZERO);
            watch.finished(id);
        }
        return result;
    }

    /** {@code job} as read from the store, shown as {@link #find} would show it now; no store call. */
    public Job shown(Job job) {
        return overlay(job);
    }

    private Job overlay(Job job) {
        if (job.status() != JobStatus.RUNNING) {
            return job;
        }
        return outcomes.pending(job.id()).map(job::withOutcome).orElse(job);
    }
}
