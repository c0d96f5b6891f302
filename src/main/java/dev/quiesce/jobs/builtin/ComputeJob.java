package dev.quiesce.jobs.builtin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import dev.quiesce.jobs.types.JobContext;
import dev.quiesce.jobs.types.JobType;
import dev.quiesce.jobs.types.JobTypes;

/** {@code compute}: SHA-256 applied {@code iterations} times; CPU-bound, checks for cancellation as it goes. */
public final class ComputeJob implements JobType<ComputeJob.Params> {

    private static final int CHECK_EVERY = 4096;

    public record Params(@NotNull @Size(max = 4096) String input, @NotNull @Min(1) @Max(10_000_000) Integer iterations) {
    }

    @Override
    public String name() {
        return "compute";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Object run(Params params, JobContext context) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] digest = sha256.digest(params.input().getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i < params.iterations(); i++) {
            if (i % CHECK_EVERY == 0) {
                context.checkCancelled();
            }
            digest = sha256.digest(digest);
        }
        return JobTypes.result("sha256", HexFormat.of().formatHex(digest));
    }
}
