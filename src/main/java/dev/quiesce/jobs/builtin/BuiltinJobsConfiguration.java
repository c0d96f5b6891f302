package dev.quiesce.jobs.builtin;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The built-in job types, each a {@code JobType} bean as yours would be. */
@Configuration(proxyBeanMethods = false)
class BuiltinJobsConfiguration {

    @Bean
    SleepJob sleepJob() {
        return new SleepJob();
    }

    @Bean
    ComputeJob computeJob() {
        return new ComputeJob();
    }

    @Bean
    FailJob failJob() {
        return new FailJob();
    }

    @Bean
    FanoutJob fanoutJob() {
        return new FanoutJob();
    }
}
