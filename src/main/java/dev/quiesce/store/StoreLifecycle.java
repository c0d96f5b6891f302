package dev.quiesce.store;

import java.time.Clock;

import org.springframework.context.SmartLifecycle;

import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.lifecycle.StopPhase;

/**
 * Opens the store first (recovering jobs a killed process left RUNNING) and closes it last: ends the stop,
 * keeps its report, then stops the writer.
 */
final class StoreLifecycle implements SmartLifecycle {

    private final JdbcJobStore store;
    private final ShutdownCoordinator coordinator;
    private final Clock clock;
    private final int maxAttempts;
    private volatile boolean running;

    StoreLifecycle(JdbcJobStore store, ShutdownCoordinator coordinator, Clock clock, int maxAttempts) {
        this.store = store;
        this.coordinator = coordinator;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void start() {
        store.recoverAbandoned(clock.instant(), maxAttempts);
        running = true;
        Thread warmUp = new Thread(store::warmUpReports, "quiesce-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    @Override
    public void stop() {
        coordinator.runPhase(StopPhase.STORE, deadline -> PhaseResult.done());
        ShutdownReport report = coordinator.finish();
        try {
            store.save(report);
        } finally {
            store.close(Math.max(100, coordinator.deadline().remaining().toMillis()));
            running = false;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.STORE;
    }
}
