package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Builds {@link LifecycleView}s from the coordinator's snapshot, live counts, the stop forecast, the store's
 * health and the last stop's report (read once at start: it does not change while this process runs).
 *
 * <p>The forecast is made afresh on each read until a stop begins; from then on the view keeps the one made
 * as the stop began (see {@link #forecastFreezer()}), so that a stop under way, and
 * the stopped instance, show what the stop was expected to do next to what it does.
 */
public final class LifecycleViews {

    private final ShutdownCoordinator coordinator;
    private final JobCounter counter;
    private final StoreHealth storeHealth;
    private final StopForecast.Forecaster forecaster;
    private final Optional<LifecycleView.LastShutdown> lastShutdown;
    /** The forecast made as the stop began; null until then. */
    private final AtomicReference<StopForecast> forecastAtBegin = new AtomicReference<>();

    public LifecycleViews(ShutdownCoordinator coordinator, JobCounter counter, StopForecast.Forecaster forecaster,
            StoreHealth storeHealth, Optional<ShutdownReport> lastReport) {
        this.coordinator = coordinator;
        this.counter = counter;
        this.forecaster = forecaster;
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
                lastShutdown.orElse(null), forecast(status.state()),
                new LifecycleView.Store(store.state(), store.since()));
    }

    /**
     * A listener for the coordinator that freezes the forecast as the stop begins (told under the coordinator's
     * lock as it turns DRAINING: the forecast is cheap). Not a bean: the coordinator's listener beans must not
     * need the coordinator.
     */
    public ShutdownListener forecastFreezer() {
        return new ShutdownListener() {
            @Override
            public void changed(LifecycleStatus status) {
                if (!isBeforeStop(status.state())) {
                    forecast(status.state());
                }
            }
        };
    }

    private StopForecast forecast(LifecycleState state) {
        if (isBeforeStop(state)) {
            return forecaster.now();
        }
        // A listener told before this one may read the view first: whoever comes first freezes it.
        StopForecast frozen = forecastAtBegin.get();
        if (frozen == null) {
            forecastAtBegin.compareAndSet(null, forecaster.now());
            frozen = forecastAtBegin.get();
        }
        return frozen;
    }

    private static boolean isBeforeStop(LifecycleState state) {
        return state == LifecycleState.STARTING || state == LifecycleState.RUNNING;
    }
}
