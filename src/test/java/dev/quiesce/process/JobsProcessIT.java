package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.testing.ProcessSupport;
import example.flaky.FlakyJob;
import example.flaky.FlakyJobAutoConfiguration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run options against the real process (issue #11): a job for later survives a stop and runs after the next
 * start, not before its time; retries, with a job type added to the packaged jar as a user adds one (a plug-in on
 * {@code loader.path}); a timeout that ends a run and its retry; and the stop forecast of {@code /lifecycle}
 * against what the stop then does.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class JobsProcessIT {

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    /** Short backoffs between retries, so a test of retries does not wait the default 1 s, 2 s, ... */
    private static final String QUICK_RETRIES = "--quiesce.jobs.retry-backoff=100ms";

    // ---- a job for later survives a stop

    @Test
    void whenAJobForLaterIsInTheStoreAtAStopThenItStaysScheduledAndRunsAfterTheNextStartNotBeforeItsTime()
            throws Exception {
        QuiesceProcess quiesce = processes.start();
        // Its time comes while the instance is stopped or starting again, seldom later: a later runAt would make
        // the test wait, and a running instance's promotion of a job that falls due is tested without processes
        // (RunOptionsApiTest: a retry that waits SCHEDULED, then runs).
        Instant runAt = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.MILLIS);
        String id = quiesce.submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":10},\"runAt\":\""
                + runAt + "\"}");
        assertThat(quiesce.job(id).get("status").asString()).as("status after the submission").isEqualTo("SCHEDULED");

        quiesce.sigterm();
        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status of the stop").isZero();
        Instant stoppedAt = Instant.now();
        assertThat(storedStatus(quiesce, id)).as("status of %s in the store after the stop", id)
                .isEqualTo("SCHEDULED");

        QuiesceProcess restarted = processes.start();
        Instant readyAt = Instant.now();
        JsonNode job = await("job " + id + " to finish").atMost(Duration.ofSeconds(60))
                .until(() -> restarted.job(id, 10_000), found -> found.get("status").asString().equals("SUCCEEDED"));
        Instant startedAt = Instant.parse(job.get("startedAt").asString());
        System.out.printf("job for later: runAt %s, stopped at %s, started again (ready) at %s, its run started %s "
                + "(%d ms after runAt)%n", runAt, stoppedAt, readyAt, startedAt,
                Duration.between(runAt, startedAt).toMillis());
        assertThat(Instant.parse(job.get("runAt").asString())).as("runAt of %s", job).isEqualTo(runAt);
        assertThat(job.get("attempts").asInt()).as("attempts of %s", job).isEqualTo(1);
        assertThat(job.path("instance").asString()).as("instance of %s", job).isNotEmpty();
        assertThat(startedAt).as("start of its run, not before runAt %s", runAt).isAfterOrEqualTo(runAt);
        // The workers look for due work every second: at runAt, or at the start when it was due before.
        Instant due = runAt.isAfter(readyAt) ? runAt : readyAt;
        assertThat(startedAt).as("start of its run, soon after it was due (%s)", due).isBefore(due.plusSeconds(3));
    }

    /** A job's status as the SQLite file of a stopped process holds it. */
    private static String storedStatus(QuiesceProcess stopped, String id) throws SQLException {
        assertThat(stopped.isAlive()).as("%s has exited", stopped).isFalse();
        String url = "jdbc:sqlite:" + stopped.setup().dataDir().resolve("q.db");
        try (Connection store = DriverManager.getConnection(url);
                PreparedStatement select = store.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).as("job %s in the store", id).isTrue();
                return row.getString(1);
            }
        }
    }

    // ---- retries, with a job type added to the jar

    @Test
    void whenAJobTypeAddedOnTheLoaderPathFailsTwiceThenSucceedsThenItsJobWithRetriesEndsSucceededWithTwoFailures(
            @TempDir Path temp) throws Exception {
        assumeFalse(aotMode(), "Spring AOT mode fixes the auto-configurations when the jar is built: a plug-in on "
                + "loader.path needs the plain start");
        Path plugins = Files.createDirectories(temp.resolve("plugins"));
        buildFlakyPlugin(plugins.resolve("flaky-job.jar"));
        Path runs = temp.resolve("runs");

        QuiesceProcess quiesce = processes.startWithLoaderPath(plugins, QUICK_RETRIES);
        String id = quiesce.submitAccepted("{\"type\":\"flaky\",\"params\":{\"dir\":\"" + runs
                + "\",\"failRuns\":2},\"retries\":2}");
        JsonNode job = await("job " + id + " to finish").atMost(Duration.ofSeconds(60))
                .until(() -> quiesce.job(id, 10_000), found -> isFinished(found.get("status").asString()));

        assertThat(job.get("status").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.get("failures").asInt()).as("failures of %s", job).isEqualTo(2);
        assertThat(job.get("attempts").asInt()).as("attempts of %s", job).isEqualTo(3);
        assertThat(job.path("result").path("run").asInt()).as("result of %s", job).isEqualTo(3);
        try (Stream<Path> files = Files.list(runs)) {
            assertThat(files.count()).as("runs of the flaky job (files it left in %s)", runs).isEqualTo(3);
        }
    }

    /**
     * Builds the plug-in a user would: a jar with the job type's classes (taken from the test classes, package
     * {@code example.flaky}, outside quiesce's) and the auto-configuration that registers it. The test classpath
     * itself lists no such auto-configuration, so no Spring test loads the type.
     */
    private static void buildFlakyPlugin(Path jar) throws IOException, URISyntaxException {
        Path classes = Path.of(FlakyJob.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path pkg = classes.resolve(FlakyJob.class.getPackageName().replace('.', '/'));
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> classFiles = Files.list(pkg)) {
            for (Path classFile : classFiles.filter(path -> path.toString().endsWith(".class")).sorted().toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(classFile).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(classFile));
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry(
                    "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports"));
            out.write((FlakyJobAutoConfiguration.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
    }

    /** Whether the process tests run the jar in Spring AOT mode (CI's JDK 25 run, with the Dockerfile's flags). */
    private static boolean aotMode() {
        return ProcessSupport.javaCommand().contains("-Dspring.aot.enabled=true");
    }

    // ---- a timeout ends a run and its retry

    @Test
    void whenEachRunOutlivesItsTimeoutThenTheJobEndsFailedWithTwoFailuresNamingTheTimeoutLongBeforeItsSleepWouldEnd()
            throws Exception {
        QuiesceProcess quiesce = processes.start(QUICK_RETRIES);
        String id = quiesce.submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":60000},"
                + "\"timeoutMs\":500,\"retries\":1}");
        JsonNode job = await("job " + id + " to finish").atMost(Duration.ofSeconds(30))
                .until(() -> quiesce.job(id, 10_000), found -> isFinished(found.get("status").asString()));

        assertThat(job.get("status").asString()).as("job %s", job).isEqualTo("FAILED");
        assertThat(job.get("failures").asInt()).as("failures of %s", job).isEqualTo(2);
        assertThat(job.get("attempts").asInt()).as("attempts of %s", job).isEqualTo(2);
        assertThat(job.get("error").asString()).as("error of %s", job).containsIgnoringCase("timeout");
        long took = Duration.between(Instant.parse(job.get("submittedAt").asString()),
                Instant.parse(job.get("finishedAt").asString())).toMillis();
        // Two runs of 500 ms and a backoff of about 100 ms; the sleep alone would take 60 s.
        assertThat(took).as("ms from submission to the end of %s", job).isBetween(1000L, 20_000L);
    }

    private static boolean isFinished(String status) {
        return List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(status);
    }

    // ---- the forecast predicts the stop

    private static final Pattern REPORT = Pattern.compile("Shutdown report (\\{.*})");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void whenSomeRunningWorkOutlivesTheBudgetThenTheForecastSaysSoAndTheStopCutsOffAndLeavesQueuedWhatItSaid()
            throws Exception {
        // Budget 2 s: the drain ends at 1.8 s (a tenth is kept for the phases after it).
        QuiesceProcess quiesce = processes.start("--quiesce.shutdown.budget=2s", "--quiesce.pool.workers=2");
        // One run of 2 s makes the sleep type's recent p90 2 s, the time the forecast gives each queued job.
        String warmUp = quiesce.submitAccepted(sleepJob(2000));
        await("the warm-up job to succeed").atMost(Duration.ofSeconds(30))
                .until(() -> quiesce.job(warmUp, 10_000).get("status").asString(), "SUCCEEDED"::equals);
        String cutOff = quiesce.submitAccepted(sleepJob(60_000)); // outlives any budget
        String fits = quiesce.submitAccepted(sleepJob(1700));     // ends within the 1.8 s drain whenever it begins
        List<String> queued = List.of(quiesce.submitAccepted(sleepJob(2000)), quiesce.submitAccepted(sleepJob(2000)));
        StopSeen stop = forecastThenSigterm(quiesce);

        // What it said: not clean, needing more than the budget, one running job cut off, the two queued left.
        JsonNode forecast = stop.forecast();
        assertThat(forecast.get("clean").asBoolean()).as("forecast %s", forecast).isFalse();
        assertThat(forecast.get("needMs").asLong()).as("forecast %s", forecast).isGreaterThan(2000);
        assertThat(forecast.get("wouldRequeue").asLong()).as("forecast %s", forecast).isEqualTo(1);
        assertThat(forecast.get("wouldLeaveQueued").asLong()).as("forecast %s", forecast).isEqualTo(2);
        // What it did.
        stop.assertDidAsForecast();
        assertThat(stop.report().get("drained").asLong()).as("report %s: the job that fits", stop.report())
                .isEqualTo(1);
        assertThat(storedStatus(quiesce, cutOff)).as("the job cut off").isEqualTo("QUEUED");
        assertThat(storedStatus(quiesce, fits)).as("the job that fits").isEqualTo("SUCCEEDED");
        for (String id : queued) {
            assertThat(storedStatus(quiesce, id)).as("queued job %s", id).isEqualTo("QUEUED");
        }
    }

    @Test
    void whenTheWorkInHandFitsTheBudgetThenTheForecastSaysCleanAndTheStopRunsItAllAndExitsZero() throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.pool.workers=2"); // the default budget, 8 s
        for (int i = 0; i < 4; i++) {
            quiesce.submitAccepted(sleepJob(2500));
        }
        StopSeen stop = forecastThenSigterm(quiesce);

        JsonNode forecast = stop.forecast();
        assertThat(forecast.get("clean").asBoolean()).as("forecast %s", forecast).isTrue();
        assertThat(forecast.get("needMs").asLong()).as("forecast %s", forecast).isLessThanOrEqualTo(8000);
        assertThat(forecast.get("wouldRequeue").asLong()).as("forecast %s", forecast).isZero();
        assertThat(forecast.get("wouldLeaveQueued").asLong()).as("forecast %s", forecast).isZero();
        stop.assertDidAsForecast();
        assertThat(stop.report().get("drained").asLong()).as("report %s", stop.report()).isEqualTo(4);
        assertThat(stop.report().get("durationMs").asLong()).as("report %s", stop.report())
                .isLessThanOrEqualTo(8000);
    }

    /** The forecast read just before SIGTERM, and what the stop then did: its exit status and its report. */
    private record StopSeen(JsonNode forecast, int exit, JsonNode report) {

        /** Exit status, running jobs cut off and queued jobs left are as the forecast said. */
        void assertDidAsForecast() {
            boolean clean = forecast.get("clean").asBoolean();
            assertThat(exit).as("exit status, forecast %s", forecast).isEqualTo(clean ? 0 : 75);
            assertThat(report.get("clean").asBoolean()).as("report %s", report).isEqualTo(clean);
            assertThat(report.get("requeued").asLong()).as("report %s, forecast %s", report, forecast)
                    .isEqualTo(forecast.get("wouldRequeue").asLong());
            assertThat(report.get("leftQueued").asLong()).as("report %s, forecast %s", report, forecast)
                    .isEqualTo(forecast.get("wouldLeaveQueued").asLong());
        }
    }

    /**
     * Once two jobs run and two are queued, reads the forecast, sends SIGTERM and waits for the exit; checks that
     * the stop began with that work in hand (a job that ended in between would make the forecast stale) and that
     * {@code /lifecycle} showed, while the stop drained, a forecast made as it began that says the same.
     */
    private static StopSeen forecastThenSigterm(QuiesceProcess quiesce) throws Exception {
        await("two running, two queued").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(quiesce::lifecycle, lifecycle -> lifecycle.get("jobs").get("running").asInt() == 2
                        && lifecycle.get("jobs").get("queued").asInt() == 2);
        JsonNode forecast = quiesce.lifecycle().get("forecast");
        quiesce.sigterm();
        // While it drains (seconds, in these tests), /lifecycle keeps the forecast made as the stop began.
        JsonNode draining = await("state DRAINING after SIGTERM").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(quiesce::lifecycle, lifecycle -> lifecycle.get("state").asString().equals("DRAINING"));
        int exit = quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT);
        String output = quiesce.output();
        JsonNode report = report(output);
        System.out.printf("forecast %s; stop: exit %d, report %s%n", forecast, exit, report);
        assertThat(output).as("the work in hand when the stop began (as when the forecast was read)")
                .containsPattern("Stop began \\(SIGTERM\\): budget \\S+, 2 queued, 2 running");
        JsonNode atBegin = draining.get("forecast");
        for (String field : List.of("clean", "wouldRequeue", "wouldLeaveQueued")) {
            assertThat(atBegin.get(field)).as("%s of the forecast during the stop %s, against the one read before %s",
                    field, atBegin, forecast).isEqualTo(forecast.get(field));
        }
        return new StopSeen(forecast, exit, report);
    }

    private static String sleepJob(int durationMs) {
        return GracefulStopProcessIT.sleepJob(durationMs);
    }

    /** The stop's report, as its last log line gives it (the same report the store keeps for lastShutdown). */
    private static JsonNode report(String output) {
        Matcher line = REPORT.matcher(output);
        assertThat(line.find()).as("a 'Shutdown report' line in the log").isTrue();
        return JSON.readTree(line.group(1));
    }
}
