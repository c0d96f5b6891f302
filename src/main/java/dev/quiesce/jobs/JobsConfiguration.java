package dev.quiesce.jobs;

import java.util.List;
import java.util.concurrent.ExecutorService;

import jakarta.validation.Validator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The built-in job types, and the catalog of every {@link JobType} bean (yours included). */
@Configuration(proxyBeanMethods = false)
class JobsConfiguration {

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

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService jobPartsExecutor() {
        return PartsExecutor.create();
    }

    @Bean
    JobTypes jobTypes(List<JobType<?>> types, Validator validator, ExecutorService jobPartsExecutor) {
        return new JobTypes(types, validator, jobPartsExecutor);
    }
}
