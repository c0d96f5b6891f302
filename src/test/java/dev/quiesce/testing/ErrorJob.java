package dev.quiesce.testing;

import jakarta.validation.constraints.NotNull;

import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;

/**
 * {@code error}: its code throws {@code new AssertionError(message)}, an {@link Error} rather than an
 * exception, as a job with a failed {@code assert} (or a missing class) does.
 */
public final class ErrorJob implements JobType<ErrorJob.Params> {

    public record Params(@NotNull String message) {
    }

    @Override
    public String name() {
        return "error";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Object run(Params params, JobContext context) {
        throw new AssertionError(params.message());
    }
}
