package dev.quiesce.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
