package dev.quiesce.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.quiesce.testing.ProcessSupport;

/**
 * Starts quiesce processes for one test at a time and makes sure none outlives it. Each test gets its own
 * data directory (so a restart finds the same SQLite file) and its own log,
 * {@code target/process-logs/<Class>.<method>.log}, which is printed (path and tail) when the test fails.
 * Register it on a {@code static} field with {@code @RegisterExtension}; tests of a class run one at a time.
 */
final class QuiesceProcesses implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    private static final int TAIL_LINES = 80;

    private final List<QuiesceProcess> processes = new ArrayList<>();
    private Path dataDir;
    private Path log;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        processes.clear();
        log = ProcessSupport.logDirectory().resolve(logName(context));
        Files.createDirectories(log.getParent());
        Files.deleteIfExists(log);
        Files.deleteIfExists(errorLog());
        dataDir = Files.createTempDirectory("quiesce-process-");
    }

    /** Starts quiesce with {@code args} on this test's store and waits until it is ready. */
    QuiesceProcess start(String... args) throws IOException {
        return launch(args).awaitReady();
    }

    /** Starts quiesce with {@code args} on this test's store without waiting for it. */
    QuiesceProcess launch(String... args) throws IOException {
        return launchWithJvmOptions(List.of(), args);
    }

    /** Starts quiesce with JVM options {@code jvmArgs} and {@code args} on this test's store, and waits. */
    QuiesceProcess startWithJvmOptions(List<String> jvmArgs, String... args) throws IOException {
        return launchWithJvmOptions(jvmArgs, args).awaitReady();
    }

    /** Starts quiesce with JVM options {@code jvmArgs} and {@code args} on this test's store, without waiting. */
    QuiesceProcess launchWithJvmOptions(List<String> jvmArgs, String... args) throws IOException {
        QuiesceProcess process = QuiesceProcess.launch(dataDir, log, jvmArgs, List.of(args));
        processes.add(process);
        return process;
    }

    /**
     * Starts quiesce with {@code args} on this test's store, its stderr kept apart in {@code <log>.stderr} (so
     * that {@link QuiesceProcess#output()} is its stdout alone), and waits until it is ready.
     */
    QuiesceProcess startWithStderrApart(String... args) throws IOException {
        QuiesceProcess process = QuiesceProcess.launch(dataDir, log, errorLog(), List.of(), List.of(args));
        processes.add(process);
        return process.awaitReady();
    }

    Path log() {
        return log;
    }

    private Path errorLog() {
        return log.resolveSibling(log.getFileName() + ".stderr");
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (QuiesceProcess process : processes) {
            process.close();
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        ProcessSupport.deleteQuietly(dataDir);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        ProcessSupport.deleteQuietly(dataDir);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder report = new StringBuilder();
        report.append("\n----- ").append(context.getDisplayName()).append(" failed; process log: ").append(log)
                .append(" (store kept in ").append(dataDir).append(")\n");
        ProcessSupport.appendTail(report, log, TAIL_LINES);
        if (Files.exists(errorLog())) {
            report.append("----- its stderr, ").append(errorLog()).append('\n');
            ProcessSupport.appendTail(report, errorLog(), TAIL_LINES);
        }
        report.append("-----");
        System.err.println(report);
    }

    private static String logName(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "."
                + context.getTestMethod().map(method -> method.getName()).orElse("test");
        Optional<String> invocation = invocationIndex(context.getUniqueId());
        return name + invocation.map(index -> "-" + index).orElse("") + ".log";
    }

    /** The index of a parameterized invocation, from a unique id ending in {@code [test-template-invocation:#2]}. */
    private static Optional<String> invocationIndex(String uniqueId) {
        String marker = "test-template-invocation:#";
        int at = uniqueId.lastIndexOf(marker);
        if (at < 0) {
            return Optional.empty();
        }
        int end = uniqueId.indexOf(']', at);
        return Optional.of(uniqueId.substring(at + marker.length(), end < 0 ? uniqueId.length() : end));
    }
}
