package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.Optional;

/**
 * Builds {@link LifecycleView}s from the coordinator's snapshot, live counts and the last stop's report
 * (read once at start: it does not change while this process runs).
 */
public final class LifecycleViews {

    private final ShutdownCoordinator coordinator;
    private final JobCounter counter;
    private final Optional<LifecycleView.LastShutdown> lastShutdown;

    public LifecycleViews(ShutdownCoordinator coordinator, JobCounter counter, Optional<ShutdownReport> lastReport) {
        this.coordinator = coordinator;
        this.counter = counter;
        this.lastShutdown = lastReport.map(LifecycleView.LastShutdown::of);
    }

    public LifecycleView current() {
        LifecycleStatus status = coordinator.status();
        Long remaining = status.deadline() == null ? null
                : Math.max(0, Duration.between(coordinator.clock().instant(), status.deadline()).toMillis());
        return new LifecycleView(status.state().name(), coordinator.instance(), coordinator.budget().toMillis(),
                status.drainStartedAt(), status.deadline(), remaining,
                new LifecycleView.Counts(counter.queued(), counter.running()), status.phases(),
                lastShutdown.orElse(null));
    }
}
