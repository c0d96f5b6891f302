package dev.quiesce.jobs.builtin;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;
import dev.quiesce.jobs.types.JobTypes;

/** {@code sleep}: waits {@code durationMs}; stands for I/O-bound work. Ends early when cancelled. */
public final class SleepJob implements JobType<SleepJob.Params> {

    public record Params(@NotNull @Min(0) @Max(600_000) Integer durationMs) {
    }

    @Override
    public String name() {
        return "sleep";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Object run(Params params, JobContext context) throws Exception {
        context.sleep(Duration.ofMillis(params.durationMs()));
        return JobTypes.result("sleptMs", params.durationMs());
    }

    @Override
    public Optional<Duration> expectedDuration(Params params) {
        return Optional.of(Duration.ofMillis(params.durationMs()));
    }
}
