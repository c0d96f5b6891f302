package dev.quiesce.ops;

import java.time.Clock;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.lifecycle.LifecycleViews;
import dev.quiesce.lifecycle.StoreHealth;

@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    @Bean
    JobMetrics jobMetrics(MeterRegistry registry, ObjectProvider<JobCounter> counter, StoreHealth storeHealth) {
        return new JobMetrics(registry, counter::getObject, storeHealth);
    }

    @Bean
    StartInfoContributor startInfoContributor(QuiesceProperties properties, Clock clock) {
        return new StartInfoContributor(properties, clock.instant());
    }

    @Bean
    LastShutdownMetrics lastShutdownMetrics(LifecycleViews views) {
        return new LastShutdownMetrics(views.current().lastShutdown());
    }

    /** Bean name {@code storeHealthIndicator}: the contributor {@code store} of the readiness group. */
    @Bean
    StoreHealthIndicator storeHealthIndicator(StoreHealth storeHealth) {
        return new StoreHealthIndicator(storeHealth);
    }

    @Bean
    LifecycleEndpoint lifecycleEndpoint(LifecycleViews views) {
        return new LifecycleEndpoint(views);
    }
}
