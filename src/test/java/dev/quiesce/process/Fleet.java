package dev.quiesce.process;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.ExtensionContext;

import dev.quiesce.testing.Postgres;
import dev.quiesce.testing.ProcessSupport;

/**
 * {@link QuiesceProcesses} for a fleet: instances named by their {@code --quiesce.instance-id}, sharing one fresh
 * PostgreSQL database per test (the embedded server of {@link Postgres}, started in the test JVM). Each runs on a
 * port of its own that a restart keeps, as a load balancer expects, and logs to
 * {@code target/process-logs/<Class>.<method>.<instance>.log}. Register it on a {@code static} field with
 * {@code @RegisterExtension}.
 */
final class Fleet extends QuiesceProcesses {

    /** Generous: catches a hung start, does not judge a slow one (three JVMs on a busy 2-core machine). */
    static final Duration START_LIMIT = Duration.ofSeconds(150);
    /** Generous bound for a stop whose budget is a few seconds. */
    static final Duration EXIT_LIMIT = Duration.ofSeconds(60);

    private String databaseUrl;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        super.beforeEach(context);
        databaseUrl = Postgres.newDatabase();
    }

    /**
     * Starts one instance per id, each on a free port with {@code args}, all at once, and waits until every
     * one is ready.
     */
    List<QuiesceProcess> start(List<String> ids, String... args) throws IOException {
        List<QuiesceProcess> launched = new ArrayList<>();
        for (String id : ids) {
            List<String> instanceArgs = new ArrayList<>(
                    List.of("--spring.datasource.url=" + databaseUrl, "--quiesce.instance-id=" + id));
            instanceArgs.addAll(List.of(args));
            launched.add(launchNamed(id, ProcessSupport.freePort(), instanceArgs));
        }
        launched.forEach(instance -> instance.awaitReady(START_LIMIT));
        return launched;
    }

    /** Starts {@code instance}'s id again on its port with its arguments (it must have exited) and waits. */
    QuiesceProcess restart(QuiesceProcess instance) throws IOException {
        return relaunch(instance).awaitReady(START_LIMIT);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println("\n----- " + context.getDisplayName() + " failed; the fleet's database: " + databaseUrl);
        super.testFailed(context, cause);
    }
}
