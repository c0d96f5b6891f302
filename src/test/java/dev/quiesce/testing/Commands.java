package dev.quiesce.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (mount, kill) to its end within a bound, and says how it failed. */
final class Commands {

    private Commands() {
    }

    /** The outcome of a command that ended: its exit status and what it printed (stdout and stderr together). */
    record Result(int status, String output) {

        boolean succeeded() {
            return status == 0;
        }
    }

    /**
     * Runs {@code command} and waits for it to end, at most {@code limit}; a command still running then is killed
     * and reported as an {@link IOException}, and so is an interrupt (the flag is restored).
     */
    static Result run(Duration limit, List<String> command) throws IOException {
        // output to a file, not a pipe: nothing to drain while waiting, and a child it leaves cannot hold it open
        Path output = Files.createTempFile("command", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                    .start();
            process.getOutputStream().close();
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("still running after " + limit + ": " + String.join(" ", command));
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while running " + String.join(" ", command));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8).strip());
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** Like {@link #run}, and a non-zero exit status is an {@link IOException} naming the command and its output. */
    static String check(Duration limit, List<String> command) throws IOException {
        Result result = run(limit, command);
        if (!result.succeeded()) {
            throw new IOException("exit status " + result.status() + " from " + String.join(" ", command)
                    + (result.output().isEmpty() ? "" : ": " + result.output()));
        }
        return result.output();
    }
}
