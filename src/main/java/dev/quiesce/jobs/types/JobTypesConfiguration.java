package dev.quiesce.jobs.types;

import java.util.List;
import java.util.concurrent.ExecutorService;

import jakarta.validation.Validator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The catalog of every {@link JobType} bean (the built-in ones and yours), and the executor of jobs' parts. */
@Configuration(proxyBeanMethods = false)
class JobTypesConfiguration {

    @Bean(destroyMethod = "shutdownNow")
    ExecutorService jobPartsExecutor() {
        return PartsExecutor.create();
    }

    @Bean
    JobTypes jobTypes(List<JobType<?>> types, Validator validator, ExecutorService jobPartsExecutor) {
        return new JobTypes(types, validator, jobPartsExecutor);
    }
}
