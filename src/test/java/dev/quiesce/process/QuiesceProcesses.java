package dev.quiesce.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.quiesce.testing.ProcessSupport;

/**
 * Starts quiesce processes for one test at a time and makes sure none outlives it. Each test gets its own
 * data directory (so a restart finds the same SQLite file) and its own log,
 * {@code target/process-logs/<Class>.<method>.log} ({@code <Class>.<method>.<name>.log} for a process started
 * under a name), whose path and tail are printed when the test fails. Register it on a {@code static} field with
 * {@code @RegisterExtension}; tests of a class run one at a time.
 */
class QuiesceProcesses implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    private static final int TAIL_LINES = 80;

    private final List<QuiesceProcess> processes = new ArrayList<>();
    /** The logs this test's processes write, in the order they were first used. */
    private final Set<Path> logs = new LinkedHashSet<>();
    private Path dataDir;
    private String logPrefix;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        processes.clear();
        logs.clear();
        logPrefix = logPrefix(context);
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
        return launch(new QuiesceProcess.Setup(ProcessSupport.freePort(), dataDir, log(), null, jvmArgs,
                List.of(args)));
    }

    /**
     * Starts quiesce with {@code args} on this test's store through Spring Boot's {@code PropertiesLauncher} with
     * {@code -Dloader.path=loaderPath} (plug-ins beside the jar), and waits until it is ready.
     */
    QuiesceProcess startWithLoaderPath(Path loaderPath, String... args) throws IOException {
        return launch(new QuiesceProcess.Setup(ProcessSupport.freePort(), dataDir, log(), null, List.of(),
                List.of(args), loaderPath)).awaitReady();
    }

    /**
     * Starts quiesce with {@code args} on this test's store, its stderr kept apart in {@code <log>.stderr} (so
     * that {@link QuiesceProcess#output()} is its stdout alone), and waits until it is ready.
     */
    QuiesceProcess startWithStderrApart(String... args) throws IOException {
        return launch(new QuiesceProcess.Setup(ProcessSupport.freePort(), dataDir, log(), errorLog(log()),
                List.of(), List.of(args))).awaitReady();
    }

    /**
     * Starts quiesce under {@code name} with {@code args} on {@code port}, in this test's data directory, logging
     * to a log of that name; does not wait for it.
     */
    QuiesceProcess launchNamed(String name, int port, List<String> args) throws IOException {
        return launch(new QuiesceProcess.Setup(port, dataDir, log(name), null, List.of(), args));
    }

    /** Starts an exited process again as it was started (its port, arguments and log); does not wait for it. */
    QuiesceProcess relaunch(QuiesceProcess exited) throws IOException {
        if (exited.isAlive()) {
            throw new IllegalStateException(exited + " still runs");
        }
        return launch(exited.setup());
    }

    /** The log of the processes started without a name. */
    Path log() {
        return ProcessSupport.logDirectory().resolve(logPrefix + ".log");
    }

    private Path log(String name) {
        return ProcessSupport.logDirectory().resolve(logPrefix + "." + name + ".log");
    }

    private static Path errorLog(Path log) {
        return log.resolveSibling(log.getFileName() + ".stderr");
    }

    /** Every start goes through here: the log is emptied when this test first uses it, and the process is kept. */
    private QuiesceProcess launch(QuiesceProcess.Setup setup) throws IOException {
        if (logs.add(setup.log())) {
            Files.createDirectories(setup.log().getParent());
            Files.deleteIfExists(setup.log());
            Files.deleteIfExists(errorLog(setup.log()));
        }
        QuiesceProcess process = QuiesceProcess.launch(setup);
        processes.add(process);
        return process;
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
        report.append("\n----- ").append(context.getDisplayName()).append(" failed (store kept in ").append(dataDir)
                .append(")\n");
        for (Path log : logs) {
            report.append("----- process log: ").append(log).append('\n');
            ProcessSupport.appendTail(report, log, TAIL_LINES);
            if (Files.exists(errorLog(log))) {
                report.append("----- its stderr, ").append(errorLog(log)).append('\n');
                ProcessSupport.appendTail(report, errorLog(log), TAIL_LINES);
            }
        }
        report.append("-----");
        System.err.println(report);
    }

    private static String logPrefix(ExtensionContext context) {
        String name = context.getRequiredTestClass().getSimpleName() + "."
                + context.getTestMethod().map(method -> method.getName()).orElse("test");
        return name + invocationIndex(context.getUniqueId()).map(index -> "-" + index).orElse("");
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
