package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.quiesce.testing.PostgresServer;
import dev.quiesce.testing.SmallDisk;
import tools.jackson.databind.JsonNode;

/**
 * The contract's "When the store misbehaves", against the real jar and a real database that misbehaves: a
 * PostgreSQL whose every process is paused (a failover or a partition), killed and restarted, and a SQLite file
 * on a filesystem that fills up. Each test prints the figures it measured (grep the output for "figure:").
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class StoreFaultProcessIT {

    /** The contract: every request is answered within the store's timeout plus half a second. */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration REQUEST_BOUND = STORE_TIMEOUT.plusMillis(500);
    /** The contract: readers answer within 1 s whatever the store does. */
    private static final Duration READER_BOUND = Duration.ofSeconds(1);
    /** The contract: the instance carries on by itself within 5 s once the store answers again. */
    private static final Duration HEAL_BOUND = Duration.ofSeconds(5);

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    private PostgresServer postgres;
    private SmallDisk disk;

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (postgres != null) {
                postgres.close(); // resumes a paused server first
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    void whenTheStoreStallsEveryRequestIsAnsweredInBoundedTimeAndTheInstanceHealsByItself() throws Exception {
        postgres = PostgresServer.start();
        QuiesceProcess quiesce = processes.start(postgresArgs());
        String before = quiesce.submitAccepted(sleepJob(10));
        warmUp(quiesce, before);

        postgres.pause();
        long pausedAt = System.nanoTime();
        awaitReadiness(quiesce, 503, "readiness out of service once the store stalls", Duration.ofSeconds(15));
        figure("stall -> readiness 503", System.nanoTime() - pausedAt);

        Timed<HttpResponse<String>> submit = timed(() -> quiesce.submit(sleepJob(10), "Idempotency-Key", "k-1"));
        assertStoreUnavailable(submit, "POST /jobs");
        assertStoreUnavailable(timed(() -> quiesce.get("/jobs/" + before)), "GET /jobs/{id}");
        assertStoreUnavailable(timed(() -> quiesce.get("/jobs?status=SUCCEEDED")), "GET /jobs?status=");
        assertStoreUnavailable(timed(() -> quiesce.delete("/jobs/" + before)), "DELETE /jobs/{id}");
        figure("POST /jobs with the store stalled", submit.nanos());

        Timed<HttpResponse<String>> lifecycle = timed(() -> quiesce.get("/lifecycle"));
        assertThat(lifecycle.value().statusCode()).isEqualTo(200);
        JsonNode view = QuiesceProcess.json(lifecycle.value());
        assertThat(view.get("store").get("state").asString()).isEqualTo("DOWN");
        assertThat(view.get("store").get("since").isNull()).isFalse();
        assertThat(view.get("jobs").get("queued").isNumber()).isTrue();
        figure("GET /lifecycle with the store stalled", lifecycle.nanos());
        for (String reader : List.of("/lifecycle", "/actuator/health", QuiesceProcess.READINESS,
                QuiesceProcess.LIVENESS, "/actuator/prometheus", "/actuator/lifecycle")) {
            Timed<HttpResponse<String>> read = timed(() -> quiesce.get(reader));
            assertThat(read.nanos()).as("GET %s took %d ms", reader, read.nanos() / 1_000_000)
                    .isLessThan(READER_BOUND.toNanos());
        }
        assertThat(quiesce.get(QuiesceProcess.LIVENESS).statusCode()).as("liveness").isEqualTo(200);
        assertThat(quiesce.get(QuiesceProcess.READINESS).statusCode()).as("readiness").isEqualTo(503);
        assertFirstLineOfStream(quiesce);

        postgres.resume();
        long resumedAt = System.nanoTime();
        String after = awaitFirstAccepted(quiesce, "a submit accepted once the store answers again");
        figure("resume -> first 202", System.nanoTime() - resumedAt);
        awaitSucceeded(quiesce, after, "the job submitted after the stall runs", HEAL_BOUND);
        awaitReadiness(quiesce, 200, "readiness back in service", HEAL_BOUND);
        assertThat(quiesce.lifecycle().get("store").get("state").asString()).isEqualTo("UP");

        // A submit whose answer was a 503 may or may not have been stored: its retry never makes a second job.
        HttpResponse<String> retry = quiesce.submit(sleepJob(10), "Idempotency-Key", "k-1");
        assertThat(retry.statusCode()).as("the retry: %s", retry.body()).isIn(200, 202);
        long keyed = quiesce.allJobs().stream().filter(job -> "k-1".equals(text(job, "idempotencyKey"))).count();
        assertThat(keyed).as("jobs with Idempotency-Key k-1").isEqualTo(1);

        quiesce.sigterm();
        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status after healing").isZero();
    }

    @Test
    void whenSigtermArrivesWithTheStoreStalledTheStopEndsWithinTheBudgetAndNothingIsLost() throws Exception {
        postgres = PostgresServer.start();
        Duration budget = Duration.ofSeconds(4);
        String[] args = postgresArgs("--quiesce.shutdown.budget=" + budget.toSeconds() + "s",
                "--quiesce.pool.workers=2", "--quiesce.jobs.lease=2s");
        QuiesceProcess quiesce = processes.start(args);
        List<String> ids = new ArrayList<>();
        ids.add(quiesce.submitAccepted(sleepJob(6_000))); // running when the store stalls: cut off at the deadline
        ids.add(quiesce.submitAccepted(sleepJob(6_000)));
        await("two jobs running").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> quiesce.lifecycle().get("jobs").get("running").asLong() >= 2);
        for (int i = 0; i < 4; i++) {
            ids.add(quiesce.submitAccepted(sleepJob(300))); // queued: the stalled store cannot hand them out
        }

        postgres.pause();
        long signalledAt = System.nanoTime();
        quiesce.sigterm();
        int status = quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT);
        Instant exitedAt = Instant.now();
        long took = System.nanoTime() - signalledAt;
        String output = quiesce.output();
        Instant began = logTime(output, "Stop began (SIGTERM)");
        figure("SIGTERM -> exit with the store stalled, budget " + budget.toMillis() + " ms", took);
        figure("stop began -> exit with the store stalled, budget " + budget.toMillis() + " ms",
                Duration.between(began, exitedAt).toNanos());
        assertThat(status).as("exit status of a stop that could not write its outcomes").isEqualTo(75);
        // The contract: the process exits at most 1 s after the deadline (the budget from the stop's start).
        assertThat(Duration.between(began, exitedAt)).as("stop began -> exit, budget %s", budget)
                .isLessThan(budget.plusSeconds(1));
        assertThat(output).contains("Drain deadline: cutting off 2 running job(s)")
                .contains("Shutdown report {\"instance\":");

        // Nothing is lost: once the store is back, a new instance finishes every accepted job (at-least-once).
        postgres.resume();
        QuiesceProcess next = processes.start(postgresArgs("--quiesce.jobs.lease=2s", "--quiesce.pool.workers=8"));
        for (String id : ids) {
            await("job " + id + " finished after the restart").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> next.job(id).get("status").asString(), "SUCCEEDED"::equals);
        }
        next.sigterm();
        assertThat(next.awaitExit(QuiesceProcess.EXIT_LIMIT)).isZero();
    }

    @Test
    void whenTheDatabaseIsKilledRequestsAreRefusedInBoundedTimeAndARestartedDatabaseIsUsedWithoutARestart()
            throws Exception {
        postgres = PostgresServer.start();
        QuiesceProcess quiesce = processes.start(postgresArgs());
        String before = quiesce.submitAccepted(sleepJob(10));
        warmUp(quiesce, before);

        postgres.kill();
        awaitReadiness(quiesce, 503, "readiness out of service once the database is gone", Duration.ofSeconds(15));
        assertStoreUnavailable(timed(() -> quiesce.submit(sleepJob(10))), "POST /jobs");
        assertStoreUnavailable(timed(() -> quiesce.get("/jobs/" + before)), "GET /jobs/{id}");
        assertThat(quiesce.lifecycle().get("store").get("state").asString()).isEqualTo("DOWN");

        postgres.restart();
        long restartedAt = System.nanoTime();
        String after = awaitFirstAccepted(quiesce, "a submit accepted once the database is back");
        figure("database restarted -> first 202", System.nanoTime() - restartedAt);
        awaitSucceeded(quiesce, after, "the job runs", HEAL_BOUND);
        assertThat(quiesce.job(before).get("status").asString()).isEqualTo("SUCCEEDED");
        quiesce.sigterm();
        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).isZero();
    }

    @Test
    void whenTheDiskFillsUpWritesAreRefusedReadsAndTheStopKeepWorkingAndWritingResumesOnceSpaceIsFreed()
            throws Exception {
        disk = SmallDisk.mount(32L * 1024 * 1024);
        QuiesceProcess quiesce = processes.start(
                "--spring.datasource.url=jdbc:sqlite:" + disk.dir().resolve("q.db"));
        String before = quiesce.submitAccepted(sleepJob(10));
        warmUp(quiesce, before);

        disk.fill();
        // The WAL may still hold a few small writes; a write that needs the disk is refused.
        HttpResponse<String> refused = await("a submit refused for want of space").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    Timed<HttpResponse<String>> submit = timed(() -> quiesce.submit(computeJob(4000)));
                    assertThat(submit.value().statusCode()).as("POST /jobs with the disk full: %s",
                            submit.value().body()).isIn(202, 503);
                    assertThat(submit.nanos()).isLessThan(REQUEST_BOUND.toNanos());
                    return submit.value();
                }, response -> response.statusCode() == 503);
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(quiesce.job(before).get("status").asString()).as("a read with the disk full").isEqualTo("SUCCEEDED");
        assertThat(quiesce.get("/lifecycle").statusCode()).isEqualTo(200);
        assertThat(quiesce.get(QuiesceProcess.LIVENESS).statusCode()).isEqualTo(200);

        disk.free();
        long freedAt = System.nanoTime();
        String after = awaitFirstAccepted(quiesce, "a submit accepted once space is freed");
        figure("disk freed -> first 202", System.nanoTime() - freedAt);
        awaitSucceeded(quiesce, after, "the job runs", HEAL_BOUND);

        disk.fill();
        quiesce.sigterm();
        int status = quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT);
        assertThat(status).as("exit status of a stop with the disk full").isIn(0, 75);
        assertThat(quiesce.output()).contains("Shutdown report {\"instance\":");
    }

    // ---- helpers

    private String[] postgresArgs(String... more) {
        List<String> args = new ArrayList<>(List.of("--spring.datasource.url=" + postgres.jdbcUrl(),
                "--quiesce.store.timeout=" + STORE_TIMEOUT.toMillis() + "ms"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Every path the test times once, before the fault: the first call of each warms the JVM up. */
    private static void warmUp(QuiesceProcess quiesce, String id) throws Exception {
        awaitSucceeded(quiesce, id, "job " + id + " done", Duration.ofSeconds(30));
        for (String path : List.of("/lifecycle", "/actuator/health", QuiesceProcess.READINESS,
                QuiesceProcess.LIVENESS, "/actuator/prometheus", "/actuator/lifecycle", "/jobs?status=SUCCEEDED")) {
            assertThat(quiesce.get(path).statusCode()).as("GET %s before the fault", path).isEqualTo(200);
        }
        assertThat(quiesce.delete("/jobs/" + id).statusCode()).isEqualTo(409);
    }

    /** Submits a short job until one is accepted, at most {@link #HEAL_BOUND}, and answers its id. */
    private static String awaitFirstAccepted(QuiesceProcess quiesce, String what) {
        return await(what).atMost(HEAL_BOUND).pollInterval(Duration.ofMillis(50)).until(() -> {
            HttpResponse<String> response = quiesce.submit(sleepJob(10));
            return response.statusCode() == 202 ? QuiesceProcess.json(response).get("id").asString() : null;
        }, id -> id != null);
    }

    private static void awaitSucceeded(QuiesceProcess quiesce, String id, String what, Duration limit) {
        await(what).atMost(limit).pollInterval(Duration.ofMillis(50))
                .until(() -> quiesce.job(id).get("status").asString(), "SUCCEEDED"::equals);
    }

    private static void awaitReadiness(QuiesceProcess quiesce, int status, String what, Duration limit) {
        await(what).atMost(limit).pollInterval(Duration.ofMillis(50))
                .until(() -> quiesce.get(QuiesceProcess.READINESS).statusCode(), answered -> answered == status);
    }

    private static void assertStoreUnavailable(Timed<HttpResponse<String>> call, String what) {
        HttpResponse<String> response = call.value();
        assertThat(response.statusCode()).as("%s with the store down: %s", what, response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.headers().firstValue("Retry-After")).as("%s Retry-After", what).isPresent();
        assertThat(call.nanos()).as("%s answered in %d ms", what, call.nanos() / 1_000_000)
                .isLessThan(REQUEST_BOUND.toNanos());
    }

    /** The console's stream sends its first event although the store does not answer. */
    private static void assertFirstLineOfStream(QuiesceProcess quiesce) throws Exception {
        Timed<String> event = timed(() -> quiesce.firstEvent("/lifecycle/stream", Duration.ofSeconds(5)));
        assertThat(event.value()).as("the stream's first event").contains("\"state\"");
        assertThat(event.nanos()).as("first event of /lifecycle/stream after %d ms", event.nanos() / 1_000_000)
                .isLessThan(READER_BOUND.toNanos());
    }

    /** The time at the start of the first log line that contains {@code marker}. */
    private static Instant logTime(String output, String marker) {
        return output.lines().filter(line -> line.contains(marker)).findFirst()
                .map(line -> Instant.parse(line.substring(0, line.indexOf(' '))))
                .orElseThrow(() -> new AssertionError("no log line with: " + marker));
    }

    private static String text(JsonNode job, String field) {
        JsonNode value = job.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private static String sleepJob(int durationMs) {
        return GracefulStopProcessIT.sleepJob(durationMs);
    }

    private static String computeJob(int inputLength) {
        return "{\"type\":\"compute\",\"params\":{\"input\":\"" + "x".repeat(inputLength)
                + "\",\"iterations\":1}}";
    }

    private record Timed<T>(T value, long nanos) {
    }

    private static <T> Timed<T> timed(Callable<T> call) throws Exception {
        long start = System.nanoTime();
        T value = call.call();
        return new Timed<>(value, System.nanoTime() - start);
    }

    private static void figure(String what, long nanos) {
        System.out.printf("figure: %s: %d ms%n", what, nanos / 1_000_000);
    }
}
