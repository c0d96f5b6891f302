package dev.quiesce.store;

import java.time.Clock;

import dev.quiesce.lifecycle.PhasedLifecycle;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;

/**
 * Opens the store first (recovering jobs a killed process left RUNNING, counting the queue, starting the
 * probe) and closes it last, once the stop has ended and its report was kept: stops the probe and the writer
 * within what is left of the stop.
 */
final class StoreLifecycle extends PhasedLifecycle {

    private final JdbcJobStore store;
    private final JdbcShutdownReports reports;
    private final StoreProbe probe;
    private final ShutdownCoordinator coordinator;
    private final Clock clock;
    private final int maxAttempts;

    StoreLifecycle(JdbcJobStore store, JdbcShutdownReports reports, StoreProbe probe, ShutdownCoordinator coordinator,
            Clock clock, int maxAttempts) {
        super(ShutdownPhases.STORE);
        this.store = store;
        this.reports = reports;
        this.probe = probe;
        this.coordinator = coordinator;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    @Override
    protected void onStart() {
        store.recoverAbandoned(clock.instant(), maxAttempts);
        store.probe();
        probe.start();
        Thread warmUp = new Thread(reports::warmUp, "quiesce-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    @Override
    protected void onStop() {
        probe.stop();
        store.close(coordinator.deadline().remainingForLastCall().toMillis());
    }
}
