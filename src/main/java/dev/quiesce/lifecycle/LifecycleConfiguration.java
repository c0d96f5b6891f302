package dev.quiesce.lifecycle;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;

@Configuration(proxyBeanMethods = false)
class LifecycleConfiguration {

    @Bean
    ShutdownCoordinator shutdownCoordinator(Clock clock, QuiesceProperties properties, JobCounter counter,
            ObjectProvider<ShutdownListener> listeners) {
        ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, properties.shutdown().budget(),
                properties.instanceId(), counter);
        listeners.orderedStream().forEach(coordinator::addListener);
        return coordinator;
    }

    /** DOWN at the first call the store does not serve; UP again once calls are served for a second. */
    @Bean
    StoreHealth storeHealth(Clock clock) {
        return new StoreHealth(clock, Duration.ofSeconds(1));
    }

    @Bean
    LifecycleViews lifecycleViews(ShutdownCoordinator coordinator, JobCounter counter,
            ObjectProvider<StopForecast.Forecaster> forecaster, StoreHealth storeHealth, ShutdownReportStore reports,
            QuiesceProperties properties) {
        LifecycleViews views = new LifecycleViews(coordinator, counter,
                forecaster.getIfAvailable(() -> StopForecast.Forecaster.NONE), storeHealth,
                reports.latest(properties.instanceId()));
        coordinator.addListener(views.forecastFreezer());
        return views;
    }

    @Bean
    GracePeriodWarning gracePeriodWarning(QuiesceProperties properties) {
        return new GracePeriodWarning(properties.shutdown().budget(), properties.shutdown().gracePeriod());
    }

    @Bean
    IntakeStopLifecycle intakeStopLifecycle(ShutdownCoordinator coordinator, ApplicationEventPublisher events,
            QuiesceProperties properties) {
        return new IntakeStopLifecycle(coordinator, events, properties.shutdown().preStopDelay());
    }

    @Bean
    StopEndLifecycle stopEndLifecycle(ShutdownCoordinator coordinator, ShutdownReportStore reports) {
        return new StopEndLifecycle(coordinator, reports);
    }

    @Bean
    StopSignals stopSignals(ConfigurableApplicationContext context, ShutdownCoordinator coordinator) {
        return new StopSignals(context, coordinator);
    }
}
