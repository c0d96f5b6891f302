package dev.quiesce.scheduler;

import java.time.Duration;
import java.util.Map;

import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.PhasedLifecycle;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.StopPhase;

/** Starts the scheduler; on stop (phase {@code scheduler}), no new firings and the tick in progress ends. */
final class SchedulerStopLifecycle extends PhasedLifecycle {

    /**
     * The scheduler phase waits at most {@code 1 / SHARE_OF_TIME_LEFT} of what is left of the stop. A tick ends
     * within one firing or one purge chunk of being asked, milliseconds when the store is healthy; the bound
     * matters when it is not (a slow disk, a stalled database), and then the jobs phase that follows, the
     * stop's real work, still keeps three quarters of the time instead of inheriting a deadline the scheduler
     * spent. A tick cut off this way ends on its own at its next check.
     */
    static final int SHARE_OF_TIME_LEFT = 4;

    private final Scheduler scheduler;
    private final ShutdownCoordinator coordinator;

    SchedulerStopLifecycle(Scheduler scheduler, ShutdownCoordinator coordinator) {
        super(ShutdownPhases.SCHEDULER);
        this.scheduler = scheduler;
        this.coordinator = coordinator;
    }

    @Override
    protected void onStart() {
        scheduler.start();
    }

    @Override
    protected void onStop() {
        coordinator.runPhase(StopPhase.SCHEDULER, deadline -> scheduler.stop(maxWait(deadline.remaining()))
                ? PhaseResult.done() : PhaseResult.timedOut(Map.of()));
    }

    /** How long the scheduler phase may wait for a tick in progress, given what is left of the stop. */
    static Duration maxWait(Duration left) {
        return left.dividedBy(SHARE_OF_TIME_LEFT);
    }
}
