package dev.quiesce.requests;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.pool.JobPool;
import dev.quiesce.pool.JobWatch;
import dev.quiesce.store.JobStore;

/** What a client may ask of the queue: the intake (also the scheduler's way in), the reads, the cancel and the operator's actions. */
@Configuration(proxyBeanMethods = false)
class RequestsConfiguration {

    @Bean
    JobIntake jobIntake(JobStore store, JobTypes types, JobPool pool, ShutdownCoordinator coordinator,
            ObjectProvider<JobEvents> events, Clock clock, QuiesceProperties properties) {
        return new JobIntake(store, types, pool, coordinator, events.getIfAvailable(() -> JobEvents.NONE), clock,
                properties.pool().queueCapacity());
    }

    @Bean
    JobQueries jobQueries(JobStore store, OutcomeSink outcomes, JobWatch watch) {
        return new JobQueries(store, outcomes, watch);
    }

    @Bean
    JobCanceller jobCanceller(JobStore store, OutcomeSink outcomes, JobPool pool, JobWatch watch,
            ObjectProvider<JobEvents> events, Clock clock) {
        return new JobCanceller(store, outcomes, pool, watch, events.getIfAvailable(() -> JobEvents.NONE), clock);
    }

    @Bean
    JobActions jobActions(JobStore store, OutcomeSink outcomes, JobPool pool, JobWatch watch,
            ObjectProvider<JobEvents> events, Clock clock) {
        return new JobActions(store, outcomes, pool, watch, events.getIfAvailable(() -> JobEvents.NONE), clock,
                store.timeout());
    }
}
