package dev.quiesce.jobs.builtin;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.quiesce.jobs.JobFailedException;
import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;

/** {@code fail}: waits {@code afterMs}, then ends FAILED with {@code message} as its error. */
public final class FailJob implements JobType<FailJob.Params> {

    public record Params(@NotNull @Min(0) @Max(600_000) Integer afterMs, @NotNull @Size(max = 1024) String message) {
    }

    @Override
    public String name() {
        return "fail";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Object run(Params params, JobContext context) throws Exception {
        context.sleep(Duration.ofMillis(params.afterMs()));
        throw new JobFailedException(params.message());
    }

    @Override
    public Optional<Duration> expectedDuration(Params params) {
        return Optional.of(Duration.ofMillis(params.afterMs()));
    }
}
