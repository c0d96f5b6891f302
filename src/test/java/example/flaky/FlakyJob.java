package example.flaky;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import dev.quiesce.jobs.JobFailedException;
import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;
import dev.quiesce.jobs.types.JobTypes;

/**
 * {@code flaky}: a job type from outside quiesce, as a user would write one, for the process test that loads it
 * into the packaged jar ({@code JobsProcessIT}). Each run leaves a file in {@code dir}; while fewer than
 * {@code failRuns} runs came before it, the run fails, and after that it succeeds with the number of its run.
 */
public final class FlakyJob implements JobType<FlakyJob.Params> {

    public record Params(@NotBlank String dir, @NotNull @Min(0) @Max(25) Integer failRuns) {
    }

    @Override
    public String name() {
        return "flaky";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Object run(Params params, JobContext context) throws Exception {
        int run = countRun(Path.of(params.dir()));
        if (run <= params.failRuns()) {
            throw new JobFailedException("flaky run " + run + " of " + (params.failRuns() + 1) + " failed");
        }
        return JobTypes.result("run", run);
    }

    /** Leaves a file for this run and answers how many runs, this one included, left one. */
    private static int countRun(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.createTempFile(dir, "run-", "");
        try (var runs = Files.list(dir)) {
            return (int) runs.count();
        }
    }
}
