package dev.quiesce.scheduler;

import java.util.Map;

import org.springframework.context.SmartLifecycle;

import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.StopPhase;

/** Starts the scheduler; on stop (phase {@code scheduler}), no new firings and the tick in progress ends. */
final class SchedulerStopLifecycle implements SmartLifecycle {

    private final Scheduler scheduler;
    private final ShutdownCoordinator coordinator;
    private volatile boolean running;

    SchedulerStopLifecycle(Scheduler scheduler, ShutdownCoordinator coordinator) {
        this.scheduler = scheduler;
        this.coordinator = coordinator;
    }

    @Override
    public void start() {
        scheduler.start();
        running = true;
    }

    @Override
    public void stop() {
        coordinator.runPhase(StopPhase.SCHEDULER, deadline -> scheduler.stop(deadline.remaining())
                ? PhaseResult.done() : PhaseResult.timedOut(Map.of()));
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.SCHEDULER;
    }
}
