package dev.quiesce.requests;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.CancelResult;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.pool.JobPool;
import dev.quiesce.pool.JobWatch;
import dev.quiesce.store.JobStore;

/**
 * Cancels a job at a client's request: a QUEUED one at once (one store write), a RUNNING one by asking its
 * worker here (and, through the store, its owner elsewhere); a job whose outcome is decided but not yet written
 * is already finished.
 */
public final class JobCanceller {

    private final JobStore store;
    private final OutcomeSink outcomes;
    private final JobPool pool;
    private final JobWatch watch;
    private final JobEvents events;
    private final Clock clock;

    JobCanceller(JobStore store, OutcomeSink outcomes, JobPool pool, JobWatch watch, JobEvents events, Clock clock) {
        this.store = store;
        this.outcomes = outcomes;
        this.pool = pool;
        this.watch = watch;
        this.events = events;
        this.clock = clock;
    }

    /** Waits on the store at most its timeout; the job in the answer is the store's row. */
    public CancelResult cancel(String id) {
        Optional<FinishedJob> decided = outcomes.pending(id);
        if (decided.isPresent() && !decided.get().requeue()) {
            return new CancelResult(CancelOutcome.ALREADY_FINISHED, store.find(id).orElse(null));
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
}
