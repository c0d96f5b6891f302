package dev.quiesce.requests;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.pool.JobPool;
import dev.quiesce.pool.JobWatch;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.JobStore.BulkAction;
import dev.quiesce.store.JobStore.BulkBatch;
import dev.quiesce.store.JobStore.Changed;
import dev.quiesce.store.JobStore.RetryOutcome;
import dev.quiesce.store.JobStore.RetryResult;
import dev.quiesce.store.StoreUnavailableException;

/**
 * What an operator does to jobs: a retry by hand, and a retry or cancel of every job that matches a filter.
 *
 * <p>A bulk change goes in batches of {@link #BATCH} jobs, each one short write of the group commit, so other
 * writes (submits, claims, outcomes) interleave and none waits long behind it. It is bounded in time whatever
 * the number of jobs: the whole change (with, first, the write of ends that readers see and the store does not
 * hold yet) waits at most {@code cap} (the store's timeout, which the contract
 * answers every request within), each batch at most what is left of it. When the cap is reached, or the store
 * stops answering after some batches were written, the answer says what was changed so far and that it is not
 * complete; calling again carries on with the jobs that still match.
 */
public final class JobActions {

    private static final Logger log = LoggerFactory.getLogger(JobActions.class);

    /** Jobs per write: a few milliseconds of the writer's time on SQLite, so submits wait next to nothing. */
    static final int BATCH = 2_000;

    private final JobStore store;
    private final OutcomeSink outcomes;
    private final JobPool pool;
    private final JobWatch watch;
    private final JobEvents events;
    private final Clock clock;
    private final Duration cap;

    JobActions(JobStore store, OutcomeSink outcomes, JobPool pool, JobWatch watch, JobEvents events, Clock clock,
            Duration cap) {
        this.store = store;
        this.outcomes = outcomes;
        this.pool = pool;
        this.watch = watch;
        this.events = events;
        this.clock = clock;
        this.cap = cap;
    }

    /** What a bulk change did: how many jobs matched, how many it changed, and whether it went through them all. */
    public record BulkResult(long matched, long changed, boolean complete) {
    }

    /**
     * Puts a FAILED or CANCELLED job back to QUEUED (see {@link JobStore#retry}) and wakes the workers, so it
     * runs as soon as one is free. Waits on the store at most its timeout in all, writing first the job's end
     * if it is decided but not yet written.
     */
    public RetryResult retry(String id) {
        long until = System.nanoTime() + store.timeout().toNanos();
        Optional<FinishedJob> decided = outcomes.pending(id);
        if (decided.isPresent() && !decided.get().requeue()) {
            // Readers already see it ended (FAILED, say) while the store still holds it RUNNING: write its end
            // first, with half the time, so that the retry finds what the client saw.
            outcomes.writeNow(store.timeout().dividedBy(2));
        }
        Duration left = Duration.ofNanos(Math.max(0, until - System.nanoTime()));
        RetryResult result = store.retry(id, clock.instant(), left);
        if (result.outcome() == RetryOutcome.RETRIED) {
            events.retriedByHand(1);
            pool.wake();
        }
        return result;
    }

    /** Retries every job with {@code status} (FAILED or CANCELLED) and {@code type} (null: any). */
    public BulkResult retryAll(JobStatus status, String type) {
        return change(BulkAction.RETRY, status, type);
    }

    /**
     * Cancels every job with {@code status} and {@code type} (null: any): SCHEDULED and QUEUED ones at once, RUNNING
     * ones as {@code DELETE /jobs/{id}} does (their workers stop them as soon as they notice).
     */
    public BulkResult cancelAll(JobStatus status, String type) {
        return change(BulkAction.CANCEL, status, type);
    }

    private BulkResult change(BulkAction action, JobStatus status, String type) {
        long started = System.nanoTime();
        long until = started + cap.toNanos();
        if (!outcomes.pendingWith(status, 1).isEmpty()) {
            // Jobs readers already see with this status, whose end the store does not hold yet: write them first.
            outcomes.writeNow(cap.dividedBy(4));
        }
        long matched = 0;
        long changed = 0;
        String after = null;
        while (true) {
            long left = until - System.nanoTime();
            if (left <= 0) {
                return stopped(action, status, type, matched, changed, "its time (" + cap.toMillis() + " ms) ran out");
            }
            BulkBatch batch;
            try {
                batch = store.changeBatch(action, status, type, after, BATCH, clock.instant(),
                        Duration.ofNanos(Math.min(left, store.timeout().toNanos())));
            } catch (StoreUnavailableException e) {
                if (matched == 0) {
                    throw e;
                }
                return stopped(action, status, type, matched, changed, e.getMessage());
            }
            if (batch.lastId() == null) {
                log.info("{} of {} jobs{}: {} matched, {} changed in {} ms", action, status, ofType(type), matched,
                        changed, Duration.ofNanos(System.nanoTime() - started).toMillis());
                return new BulkResult(matched, changed, true);
            }
            matched += batch.matched();
            changed += batch.changed().size();
            after = batch.lastId();
            changedInStore(action, status, batch);
        }
    }

    /** Tells the workers, watchers and metrics of what one batch changed. */
    private void changedInStore(BulkAction action, JobStatus status, BulkBatch batch) {
        if (batch.changed().isEmpty()) {
            return;
        }
        if (action == BulkAction.RETRY) {
            events.retriedByHand(batch.changed().size());
            pool.wake(); // the workers start on the first batch while the next ones are written
            return;
        }
        for (Changed job : batch.changed()) {
            if (status == JobStatus.RUNNING) {
                pool.cancel(job.id(), CancelReason.REQUESTED); // ours stop now, other instances' on their next renewal
            } else {
                events.completed(JobStatus.CANCELLED, job.type(), Duration.ZERO);
                watch.finished(job.id());
            }
        }
    }

    private static BulkResult stopped(BulkAction action, JobStatus status, String type, long matched, long changed,
            String why) {
        log.warn("{} of {} jobs{} stopped before the end, {}: {} matched, {} changed so far; calling again carries on",
                action, status, ofType(type), why, matched, changed);
        return new BulkResult(matched, changed, false);
    }

    private static String ofType(String type) {
        return type == null ? "" : " of type " + type;
    }
}
