package dev.quiesce.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import dev.quiesce.testing.Postgres;
import dev.quiesce.testing.ProcessSupport;

/**
 * A fleet of quiesce processes for one test at a time, sharing one fresh PostgreSQL database (the embedded
 * server of {@link Postgres}, started in the test JVM). Every instance logs to
 * {@code target/process-logs/<Class>.<method>.<instance>.log}; when a test fails the tail of each is printed.
 * No process outlives its test. Register it on a {@code static} field with {@code @RegisterExtension}.
 */
final class Fleet implements BeforeEachCallback, AfterEachCallback, TestWatcher {

    private static final int TAIL_LINES = 60;

    /** The instance last started under each id, and the arguments it was started with. */
    private final Map<String, FleetInstance> instances = new LinkedHashMap<>();
    private final Map<String, List<String>> argsById = new LinkedHashMap<>();
    private final List<FleetInstance> started = new ArrayList<>();
    private String databaseUrl;
    private Path workDir;
    private String logPrefix;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        instances.clear();
        argsById.clear();
        started.clear();
        databaseUrl = Postgres.newDatabase();
        workDir = Files.createTempDirectory("quiesce-fleet-");
        logPrefix = context.getRequiredTestClass().getSimpleName() + "."
                + context.getTestMethod().map(method -> method.getName()).orElse("test");
    }

    /**
     * Starts one instance per id, each on a free port with {@code args}, all at once, and waits until every
     * one is ready.
     */
    List<FleetInstance> start(List<String> ids, String... args) throws IOException {
        List<FleetInstance> launched = new ArrayList<>();
        for (String id : ids) {
            Files.deleteIfExists(log(id));
            argsById.put(id, List.of(args));
            launched.add(launch(id, ProcessSupport.freePort()));
        }
        launched.forEach(FleetInstance::awaitReady);
        return launched;
    }

    /** Starts {@code instance}'s id again on its port with its arguments (it must have exited) and waits. */
    FleetInstance restart(FleetInstance instance) throws IOException {
        if (instance.isAlive()) {
            throw new IllegalStateException(instance + " still runs");
        }
        return launch(instance.id(), instance.port()).awaitReady();
    }

    String databaseUrl() {
        return databaseUrl;
    }

    private FleetInstance launch(String id, int port) throws IOException {
        FleetInstance instance = FleetInstance.launch(id, port, databaseUrl, workDir, log(id), argsById.get(id));
        instances.put(id, instance);
        started.add(instance);
        return instance;
    }

    private Path log(String id) {
        return ProcessSupport.logDirectory().resolve(logPrefix + "." + id + ".log");
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (FleetInstance instance : started) {
            instance.close();
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        ProcessSupport.deleteQuietly(workDir);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        StringBuilder report = new StringBuilder();
        report.append("\n----- ").append(context.getDisplayName()).append(" failed; database ").append(databaseUrl)
                .append('\n');
        for (String id : instances.keySet()) {
            Path log = log(id);
            report.append("----- ").append(id).append(": ").append(log).append('\n');
            ProcessSupport.appendTail(report, log, TAIL_LINES);
        }
        report.append("-----");
        System.err.println(report);
    }
}
