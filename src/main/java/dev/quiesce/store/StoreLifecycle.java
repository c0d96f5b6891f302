package dev.quiesce.store;

import java.time.Clock;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.lifecycle.StopPhase;

/**
 * Opens the store first (recovering jobs a killed process left RUNNING, counting the queue, starting the
 * probe) and closes it last: ends the stop, keeps its report if the store allows in the time left, then stops
 * the writer.
 */
final class StoreLifecycle implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoreLifecycle.class);

    private final JdbcJobStore store;
    private final JdbcShutdownReports reports;
    private final StoreProbe probe;
    private final ShutdownCoordinator coordinator;
    private final Clock clock;
    private final int maxAttempts;
    private volatile boolean running;

    StoreLifecycle(JdbcJobStore store, JdbcShutdownReports reports, StoreProbe probe, ShutdownCoordinator coordinator,
            Clock clock, int maxAttempts) {
        this.store = store;
        this.reports = reports;
        this.probe = probe;
        this.coordinator = coordinator;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
    }

    @Override
    public void start() {
        store.recoverAbandoned(clock.instant(), maxAttempts);
        store.probe();
        probe.start();
        running = true;
        Thread warmUp = new Thread(reports::warmUp, "quiesce-warm-up");
        warmUp.setDaemon(true);
        warmUp.setPriority(Thread.MIN_PRIORITY);
        warmUp.start();
    }

    @Override
    public void stop() {
        coordinator.runPhase(StopPhase.STORE, deadline -> PhaseResult.done());
        probe.stop();
        ShutdownReport report = coordinator.finish();
        try {
            reports.save(report, timeLeft());
        } catch (StoreUnavailableException | StoreRejectedException e) {
            log.warn("The shutdown report was not stored ({}); the log line above is its record", e.getMessage());
        } finally {
            store.close(timeLeft().toMillis());
            running = false;
        }
    }

    private Duration timeLeft() {
        Duration left = coordinator.deadline().remaining();
        return left.compareTo(JobStore.LAST_CALL_FLOOR) < 0 ? JobStore.LAST_CALL_FLOOR : left;
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
