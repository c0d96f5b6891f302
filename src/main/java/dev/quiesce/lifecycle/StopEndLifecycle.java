package dev.quiesce.lifecycle;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the stop once the web server has stopped and before the store closes: the last phase ({@code store})
 * is recorded, the report made (its listeners log it and set the exit status), then kept in the store if the
 * store allows in the time left.
 */
final class StopEndLifecycle extends PhasedLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StopEndLifecycle.class);

    private final ShutdownCoordinator coordinator;
    private final ShutdownReportStore reports;

    StopEndLifecycle(ShutdownCoordinator coordinator, ShutdownReportStore reports) {
        super(ShutdownPhases.STOP_END);
        this.coordinator = coordinator;
        this.reports = reports;
    }

    @Override
    protected void onStop() {
        coordinator.runPhase(StopPhase.STORE, deadline -> PhaseResult.done());
        ShutdownReport report = coordinator.finish();
        try {
            reports.save(report, coordinator.deadline().remainingForLastCall());
        } catch (RuntimeException e) {
            // Whatever keeping it costs, the store still closes after this: the logged report is its record.
            log.warn("The shutdown report was not stored ({}); the log line above is its record", e.getMessage());
        }
    }
}
