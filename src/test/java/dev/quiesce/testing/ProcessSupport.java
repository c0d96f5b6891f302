package dev.quiesce.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** What the real-process tests share: the java to run, free ports, signals, logs and clean-up. */
public final class ProcessSupport {

    private ProcessSupport() {
    }

    /** The java binary: {@code -Dquiesce.java} (CI runs the process tests again on JDK 25), else this JVM's. */
    public static String javaBinary() {
        String java = System.getProperty("quiesce.java");
        return java == null || java.isBlank() ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
                : java;
    }

    /**
     * The command that starts a JVM: {@link #javaBinary()}, then the JVM options in {@code -Dquiesce.jvmArgs}
     * (space-separated; CI runs the process tests on JDK 25 with the Dockerfile's options), then {@code extra}.
     */
    public static List<String> javaCommand(String... extra) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        String options = System.getProperty("quiesce.jvmArgs", "").strip();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        command.addAll(Arrays.asList(extra));
        return command;
    }

    /** A started process and where its own output begins in its log (the log may hold earlier starts). */
    public record LoggedProcess(Process process, long outputOffset) {
    }

    /**
     * Starts {@code command} in {@code workDir}, stdout and stderr appended to {@code log} after a line naming the
     * command (a restart appends to the same log); stdin is closed.
     */
    public static LoggedProcess startLogged(List<String> command, Path workDir, Path log) throws IOException {
        return startLogged(command, workDir, log, null);
    }

    /**
     * As {@link #startLogged(List, Path, Path)}, with stderr appended to {@code errorLog} instead when it is not
     * null: for a test of what the process writes to stdout alone.
     */
    public static LoggedProcess startLogged(List<String> command, Path workDir, Path log, Path errorLog)
            throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, "===== " + Instant.now() + " start: " + String.join(" ", command)
                + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        long offset = Files.size(log);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (errorLog == null) {
            builder.redirectErrorStream(true);
        } else {
            builder.redirectError(ProcessBuilder.Redirect.appendTo(errorLog.toFile()));
        }
        Process process = builder.start();
        process.getOutputStream().close();
        return new LoggedProcess(process, offset);
    }

    /** Polls {@code ready} until it holds, at most {@code limit}; fails at once if {@code process} exits. */
    public static void awaitReady(Process process, String what, Path log, Duration limit, Callable<Boolean> ready) {
        await("readiness of " + what + " (log: " + log + ")").atMost(limit).pollInterval(Duration.ofMillis(100))
                .failFast(what + " exited before it was ready (log: " + log + ")", () -> !process.isAlive())
                .ignoreExceptions()
                .until(ready);
    }

    /** Waits for {@code process} to exit, at most {@code limit}, and answers its exit status. */
    public static int awaitExit(Process process, String what, Path log, Duration limit) throws InterruptedException {
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError(what + " did not exit within " + limit + " (log: " + log + ")");
        }
        return process.exitValue();
    }

    /** Kills {@code process} if it still runs (SIGKILL) and waits for it to be gone. */
    public static void kill(Process process) throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Appends the last {@code lines} lines of {@code log} to a failure report. */
    public static void appendTail(StringBuilder report, Path log, int lines) {
        try {
            if (log != null && Files.exists(log)) {
                List<String> all = Files.readAllLines(log);
                report.append("----- last ").append(Math.min(lines, all.size())).append(" lines:\n");
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(line -> report.append(line).append('\n'));
            }
        } catch (IOException | UncheckedIOException e) {
            report.append("(cannot read the log: ").append(e).append(")\n");
        }
    }

    /** Where the process logs go: {@code target/process-logs} of the project (Failsafe sets {@code basedir}). */
    public static Path logDirectory() {
        String basedir = System.getProperty("basedir", System.getProperty("user.dir"));
        return Path.of(basedir, "target", "process-logs").toAbsolutePath();
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    /** Sends {@code kill -NAME} to the process and checks that kill itself succeeded. */
    public static void signal(Process process, String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).as("kill -%s finished", name).isTrue();
        assertThat(kill.exitValue()).as("exit status of kill -%s %d", name, process.pid()).isZero();
    }

    /** Deletes a folder and everything in it, best effort: a temp folder left behind is harmless. */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // best effort
        }
    }
}
