package dev.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.quiesce.testing.MutableClock;

/**
 * The view's forecast: made afresh on each read while running; once a stop begins, the one made as it began,
 * for the rest of the stop and after it. The forecaster here is the port's simplest implementation: each call
 * forecasts a different {@code needMs}, so the test can tell which call a view shows.
 */
class LifecycleViewsForecastTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final AtomicLong calls = new AtomicLong();
    private final StopForecast.Forecaster forecaster = () -> new StopForecast(true, calls.incrementAndGet(), 0, 0);
    private final ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, Duration.ofSeconds(8), "test",
            JobCounter.NONE);
    private final LifecycleViews views = new LifecycleViews(coordinator, JobCounter.NONE, forecaster,
            new StoreHealth(clock, Duration.ofSeconds(1)), Optional.empty());

    @Test
    void whileRunningEachReadForecastsAfreshAndFromTheStopsBeginTheForecastMadeThenStays() {
        coordinator.addListener(views.forecastFreezer());
        coordinator.started();
        assertThat(views.current().forecast().needMs()).isEqualTo(1);
        assertThat(views.current().forecast().needMs()).isEqualTo(2);

        coordinator.begin("test");
        long atBegin = calls.get();
        assertThat(atBegin).as("forecast as the stop began").isEqualTo(3);

        assertThat(views.current().forecast().needMs()).isEqualTo(atBegin);
        coordinator.finish();
        assertThat(views.current().state()).isEqualTo("STOPPED");
        assertThat(views.current().forecast().needMs()).isEqualTo(atBegin);
        assertThat(calls.get()).isEqualTo(atBegin);
    }

    @Test
    void withoutTheListenerTheFirstReadOfAStopFreezesIt() {
        coordinator.begin("test");

        long first = views.current().forecast().needMs();

        assertThat(views.current().forecast().needMs()).isEqualTo(first);
    }
}
