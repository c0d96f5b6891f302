package dev.quiesce.web;

import java.util.Collections;
import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;

/**
 * The extension point as a user meets it: one bean implementing {@link JobType}, nothing else. Its params
 * are a record checked with Jakarta annotations.
 */
@TestConfiguration(proxyBeanMethods = false)
class EchoJobConfiguration {

    @Bean
    JobType<EchoJob.Params> echoJob() {
        return new EchoJob();
    }

    /** {@code echo}: answers {@code {"echo": text repeated times, space-separated}}. */
    static final class EchoJob implements JobType<EchoJob.Params> {

        record Params(@NotBlank @Size(max = 64) String text, @NotNull @Min(1) @Max(3) Integer times) {
        }

        @Override
        public String name() {
            return "echo";
        }

        @Override
        public Class<Params> paramsType() {
            return Params.class;
        }

        @Override
        public Object run(Params params, JobContext context) throws Exception {
            context.checkCancelled();
            return Map.of("echo", String.join(" ", Collections.nCopies(params.times(), params.text())));
        }
    }
}
