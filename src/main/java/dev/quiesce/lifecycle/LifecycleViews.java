package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.Optional;

/**
 * Builds {@link LifecycleView}s from the coordinator's snapshot, live counts, the store's health and the last
 * stop's report (read once at start: it does not change while this process runs).
 */
public final class LifecycleViews {

    private final ShutdownCoordinator coordinator;
    private final JobCounter counter;
    private final StoreHealth storeHealth;
    private final Optional<LifecycleView.LastShutdown> lastShutdown;

    public LifecycleViews(ShutdownCoordinator coordinator, JobCounter counter, StoreHealth storeHealth,
            Optional<ShutdownReport> lastReport) {
        this.coordinator = coordinator;
        this.counter = counter;
        this.storeHealth = storeHealth;
        this.lastShutdown = lastReport.map(LifecycleView.LastShutdown::of);
    }

    /** From memory only: never waits on the store. */
    public LifecycleView current() {
        LifecycleStatus status = coordinator.status();
        StoreHealth.Condition store = storeHealth.condition();
        Long remaining = status.deadline() == null ? null
                : Math.max(0, Duration.between(coordinator.clock().instant(), status.deadline()).toMillis());
        return new LifecycleView(status.state().name(), coordinator.instance(), coordinator.budget().toMillis(),
                status.drainStartedAt(), status.deadline(), remaining,
                new LifecycleView.Counts(counter.queued(), counter.running(), counter.queuedAsOf()), status.phases(),
                lastShutdown.orElse(null), new LifecycleView.Store(store.state(), store.since()));
    }
}
