package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.config.QuiesceProperties.QueuedJobsPolicy;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.StopForecast;
import dev.quiesce.store.JobStore;

/** The worker pool, its count of the jobs it holds, its drain, and the {@link JobWatch} it tells of finishes. */
@Configuration(proxyBeanMethods = false)
class PoolConfiguration {

    /** How often an idle worker looks at the store without being woken (work from elsewhere, retries). */
    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

    @Bean
    JobWatch jobWatch() {
        return new JobWatch();
    }

    @Bean
    JobPool jobPool(JobStore store, JobTypes types, OutcomeSink outcomes, ObjectProvider<JobEvents> events,
            Clock clock, QuiesceProperties properties, JobWatch watch) {
        JobPool.Settings settings = new JobPool.Settings(properties.pool().workers(), properties.instanceId(),
                properties.jobs().maxAttempts(), properties.jobs().lease(), POLL_INTERVAL,
                properties.jobs().retryBackoff(), properties.jobs().retryBackoffMax());
        JobPool pool = new JobPool(store, types, outcomes, events.getIfAvailable(() -> JobEvents.NONE), clock,
                settings, watch::finished);
        store.onNewWork(pool::wake);
        return pool;
    }

    @Bean
    JobCounter jobCounter(JobStore store, JobPool pool) {
        return new PoolJobCounter(store, pool);
    }

    @Bean
    StopForecast.Forecaster stopForecaster(JobPool pool, JobStore store, Clock clock, QuiesceProperties properties) {
        return new PoolStopForecaster(pool, store, clock, properties.pool().workers(), properties.shutdown().budget(),
                properties.shutdown().preStopDelay(), properties.shutdown().queuedJobs() == QueuedJobsPolicy.DRAIN);
    }

    /** Told of every run time the pool learns. */
    @Bean
    SlowJobTypeWarnings slowJobTypeWarnings(JobPool pool, QuiesceProperties properties) {
        SlowJobTypeWarnings warnings = new SlowJobTypeWarnings(properties.shutdown().budget());
        pool.runTimes().onRecorded(warnings::recorded);
        return warnings;
    }

    @Bean
    JobPoolDrainLifecycle jobPoolDrainLifecycle(JobPool pool, JobStore store, OutcomeSink outcomes,
            ShutdownCoordinator coordinator, QuiesceProperties properties) {
        return new JobPoolDrainLifecycle(pool, store, outcomes, coordinator,
                properties.shutdown().queuedJobs() == QueuedJobsPolicy.DRAIN);
    }
}
