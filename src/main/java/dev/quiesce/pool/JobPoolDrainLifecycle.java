package dev.quiesce.pool;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.PhaseState;
import dev.quiesce.lifecycle.PhasedLifecycle;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.StopPhase;
import dev.quiesce.store.JobStore;

/** Starts the workers; on stop, drains the pool (phase {@code jobs}) within what is left of the budget. */
final class JobPoolDrainLifecycle extends PhasedLifecycle {

    private final JobPool pool;
    private final JobStore store;
    private final OutcomeSink outcomes;
    private final ShutdownCoordinator coordinator;
    private final boolean runQueued;

    JobPoolDrainLifecycle(JobPool pool, JobStore store, OutcomeSink outcomes, ShutdownCoordinator coordinator,
            boolean runQueued) {
        super(ShutdownPhases.JOBS);
        this.pool = pool;
        this.store = store;
        this.outcomes = outcomes;
        this.coordinator = coordinator;
        this.runQueued = runQueued;
    }

    @Override
    protected void onStart() {
        pool.start();
    }

    @Override
    protected void onStop() {
        coordinator.runPhase(StopPhase.JOBS, stopDeadline -> {
            Duration reserve = reserveAfterJobs(coordinator.budget());
            Deadline drainDeadline = stopDeadline.minus(reserve);
            JobPool.DrainReport report = pool.drain(drainDeadline, runQueued, reserve.dividedBy(2));
            Map<String, Long> counts = new LinkedHashMap<>();
            // Since the stop began, not since this phase did: a job that ended during the phases before is
            // one the stop's first line counted as running.
            counts.put("finished", coordinator.finishedSinceBegin());
            counts.put("requeued", report.requeued());
            counts.put("leftQueued", leftQueued(report.requeued()));
            if (report.stuck() > 0) {
                counts.put("stuck", (long) report.stuck());
            }
            return new PhaseResult(report.cutOffWork() ? PhaseState.TIMED_OUT : PhaseState.DONE, counts,
                    report.cutOffWork());
        });
    }

    /**
     * The QUEUED jobs this stop leaves in the store, not counting the ones it put back ({@code requeued}, counted
     * apart): from memory, the stop never waits on the store to count. Read between two writes of outcomes, so a
     * requeue is taken out once, whether it is written yet or still pending; should a write hold on (a stalled
     * store), read as it stands, its requeues still pending.
     */
    private long leftQueued(long requeued) {
        Supplier<Long> left = () -> {
            long pendingRequeues = outcomes.pendingWith(JobStatus.QUEUED, Integer.MAX_VALUE).size();
            return Math.max(0, store.lastKnownQueued().count() - (requeued - pendingRequeues));
        };
        return outcomes.betweenWrites(left, Deadline.LAST_CALL_FLOOR).orElseGet(left);
    }

    /**
     * Time kept back from the jobs phase for the phases after it (flush, web, store): a tenth of the budget,
     * between 100 ms and 1 s.
     */
    static Duration reserveAfterJobs(Duration budget) {
        Duration tenth = budget.dividedBy(10);
        Duration floor = Duration.ofMillis(100);
        Duration ceiling = Duration.ofSeconds(1);
        Duration reserve = tenth.compareTo(floor) < 0 ? floor : tenth.compareTo(ceiling) > 0 ? ceiling : tenth;
        return reserve.compareTo(budget.dividedBy(2)) > 0 ? budget.dividedBy(2) : reserve;
    }
}
