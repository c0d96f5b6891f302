package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import static dev.quiesce.web.ProblemAssertions.assertProblem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.quiesce.store.TestSchedulePauses;
import dev.quiesce.store.TestStores;
import tools.jackson.databind.JsonNode;

/**
 * A schedule from configuration is listed and its firings make jobs keyed by schedule name and fire time; a
 * schedule is paused, resumed and triggered by name, and a pause kept in the store by an earlier run of the
 * service on the same database is in force in this one.
 */
@ServiceTest(properties = { "quiesce.schedules[0].name=tick", "quiesce.schedules[0].every=1s",
        "quiesce.schedules[0].type=sleep", "quiesce.schedules[0].params.durationMs=1",
        "quiesce.schedules[1].name=hourly", "quiesce.schedules[1].every=1h", "quiesce.schedules[1].type=sleep",
        "quiesce.schedules[1].params.durationMs=1",
        "quiesce.schedules[2].name=seeded", "quiesce.schedules[2].cron=0 0 3 * * *",
        "quiesce.schedules[2].type=sleep", "quiesce.schedules[2].params.durationMs=1" })
class SchedulesTest {

    private static final String KEY = "schedule:tick:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";
    private static final String MANUAL_TIME = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    /** This service's database, named here (not by {@link OwnDatabase}) so that it can be seeded first. */
    private static final String DATABASE = seededDatabase();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
    }

    /** A database in which an earlier run of the service paused "seeded", then stopped. */
    private static String seededDatabase() {
        try {
            Path folder = Files.createTempDirectory(Files.createDirectories(Path.of("target", "web-test-dbs")),
                    "SchedulesTest-seeded-");
            String url = "jdbc:sqlite:" + folder.toAbsolutePath().resolve("q.db");
            try (TestStores.Opened earlier = TestStores.open(url);
                    TestSchedulePauses pauses = TestSchedulePauses.on(earlier)) {
                pauses.pauses().pause("seeded", Instant.now());
            }
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    ApiClient api;

    @Test
    void theConfiguredScheduleIsListedWithItsNextFiring() {
        Reply reply = api.get("/schedules");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode schedules = reply.json().get("schedules");
        assertThat(schedules.size()).isEqualTo(3);
        JsonNode tick = schedule(reply, "tick");
        assertThat(tick.get("name").asString()).isEqualTo("tick");
        assertThat(tick.get("every").asString()).isEqualTo("1s");
        assertThat(tick.get("type").asString()).isEqualTo("sleep");
        assertThat(tick.get("params")).isEqualTo(Reply.JSON.readTree("{\"durationMs\":1}"));
        String next = tick.get("nextFireAt").asString();
        assertThat(next).endsWith("Z");
        assertThat(Instant.parse(next)).isBetween(Instant.now().minusSeconds(2), Instant.now().plusSeconds(3));
        assertThat(tick.get("paused").asBoolean()).isFalse();
    }

    @Test
    void aSchedulePausedByAnEarlierRunOnTheSameDatabaseIsListedPaused() {
        JsonNode seeded = schedule(api.get("/schedules"), "seeded");
        assertThat(seeded.get("paused").isBoolean()).isTrue();
        assertThat(seeded.get("paused").asBoolean()).isTrue();
        assertThat(seeded.get("cron").asString()).isEqualTo("0 0 3 * * *");
    }

    @Test
    void pauseAndResumeAnswerTheStatusAreIdempotentAndAreKeptInTheStore() {
        for (int i = 0; i < 2; i++) {
            Reply paused = post("/schedules/hourly/pause");
            assertThat(paused.status()).as(paused.body()).isEqualTo(200);
            assertThat(paused.json().get("name").asString()).isEqualTo("hourly");
            assertThat(paused.json().get("paused").asBoolean()).isTrue();
        }
        assertThat(schedule(api.get("/schedules"), "hourly").get("paused").asBoolean()).isTrue();
        assertThat(pausedInTheStore()).contains("hourly");

        for (int i = 0; i < 2; i++) {
            Reply resumed = post("/schedules/hourly/resume");
            assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
            assertThat(resumed.json().get("paused").asBoolean()).isFalse();
        }
        assertThat(schedule(api.get("/schedules"), "hourly").get("paused").asBoolean()).isFalse();
        assertThat(pausedInTheStore()).doesNotContain("hourly");
    }

    @Test
    void aTriggerAnswers202WithItsJobEvenForAPausedSchedule() {
        Reply reply = post("/schedules/seeded/trigger");

        assertThat(reply.status()).as(reply.body()).isEqualTo(202);
        JsonNode job = reply.json();
        assertThat(reply.header("Location")).isEqualTo("/jobs/" + job.get("id").asString());
        assertThat(job.get("type").asString()).isEqualTo("sleep");
        assertThat(job.get("params")).isEqualTo(Reply.JSON.readTree("{\"durationMs\":1}"));
        assertThat(job.get("idempotencyKey").asString()).matches("schedule:seeded:manual:" + MANUAL_TIME);
        assertThat(job.get("status").asString()).isIn("QUEUED", "RUNNING", "SUCCEEDED");
        assertThat(schedule(api.get("/schedules"), "seeded").get("paused").asBoolean()).isTrue();
        String id = job.get("id").asString();
        await().atMost(Duration.ofSeconds(10)).until(() -> "SUCCEEDED".equals(api.job(id).get("status").asString()));
    }

    @Test
    void anUnknownScheduleIsNotFound() {
        for (String action : List.of("pause", "resume", "trigger")) {
            JsonNode problem = assertProblem(post("/schedules/nope/" + action), 404);
            assertThat(problem.get("detail").asString()).contains("nope");
        }
    }

    /** A POST with no body and no content type, as {@code curl -X POST} sends it. */
    private Reply post(String path) {
        return api.send(api.request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static JsonNode schedule(Reply reply, String name) {
        assertThat(reply.status()).isEqualTo(200);
        for (JsonNode schedule : reply.json().get("schedules")) {
            if (schedule.get("name").asString().equals(name)) {
                return schedule;
            }
        }
        throw new AssertionError("no schedule " + name + " in " + reply.body());
    }

    /** The paused schedules as the store keeps them, read through a store of its own on the same file. */
    private static Set<String> pausedInTheStore() {
        try (TestStores.Opened other = TestStores.open(DATABASE);
                TestSchedulePauses pauses = TestSchedulePauses.on(other)) {
            return pauses.pauses().paused();
        }
    }

    @Test
    void eachFiringMakesOneJobKeyedByTheScheduleAndItsFireTime() {
        List<JsonNode> fired = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            fired.clear();
            api.get("/jobs?limit=1000").json().get("jobs").forEach(job -> {
                if (job.hasNonNull("idempotencyKey") && job.get("idempotencyKey").asString().startsWith("schedule:")) {
                    fired.add(job);
                }
            });
            return fired.size() >= 2;
        });

        List<String> keys = new ArrayList<>();
        for (JsonNode job : fired) {
            String key = job.get("idempotencyKey").asString();
            assertThat(key).matches(KEY);
            Instant fireTime = Instant.parse(key.substring("schedule:tick:".length()));
            assertThat(fireTime).isBefore(Instant.now().plusSeconds(1));
            assertThat(job.get("type").asString()).isEqualTo("sleep");
            assertThat(job.get("params")).isEqualTo(Reply.JSON.readTree("{\"durationMs\":1}"));
            keys.add(key);
        }
        assertThat(keys).doesNotHaveDuplicates();

        JsonNode tick = schedule(api.get("/schedules"), "tick");
        assertThat(tick.hasNonNull("lastFireAt")).isTrue();
        assertThat(tick.hasNonNull("lastJobId")).isTrue();
        JsonNode last = api.job(tick.get("lastJobId").asString());
        assertThat(last.get("idempotencyKey").asString()).matches(KEY);
        String lastJobId = last.get("id").asString();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SUCCEEDED".equals(api.job(lastJobId).get("status").asString()));
    }
}
