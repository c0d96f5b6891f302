package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** The job API's happy paths and its answers about existing jobs, against the running service. */
class JobApiTest extends RunningServiceTest {

    private static final String LONG_SLEEP = "{\"type\":\"sleep\",\"params\":{\"durationMs\":60000}}";

    @AfterEach
    void cancelLeftovers() {
        api.cancelUnfinished();
    }

    @Test
    void aSubmittedJobIsAnswered202WithItsLocationAndView() {
        Instant before = Instant.now().minusSeconds(1);

        Reply reply = api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":50}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode job = reply.json();
        String id = job.get("id").asString();
        assertThat(id).isNotBlank();
        assertThat(reply.header("Location")).endsWith("/jobs/" + id);
        assertThat(job.get("type").asString()).isEqualTo("sleep");
        assertThat(job.get("params")).isEqualTo(Reply.JSON.readTree("{\"durationMs\":50}"));
        assertThat(job.get("status").asString()).isIn("QUEUED", "RUNNING");
        assertThat(job.get("attempts").isInt()).isTrue();
        assertThat(job.get("attempts").asInt()).isBetween(0, 1);
        String submittedAt = job.get("submittedAt").asString();
        assertThat(submittedAt).endsWith("Z");
        assertThat(Instant.parse(submittedAt)).isBetween(before, Instant.now().plusSeconds(1));
        assertThat(job.has("error")).isFalse();
        assertThat(job.has("result")).isFalse();
    }

    @Test
    void aJobCanBeReadBackAndAnUnknownOneIs404() {
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").get("id").asString();

        Reply known = api.get("/jobs/" + id);
        assertThat(known.status()).isEqualTo(200);
        assertThat(known.json().get("id").asString()).isEqualTo(id);

        assertProblem(api.get("/jobs/" + UUID.randomUUID()), 404);
    }

    @Test
    void aLongPollAnswersAsSoonAsTheJobFinishes() {
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":200}}").get("id").asString();
        long started = System.nanoTime();

        Reply reply = api.get("/jobs/" + id + "?waitMs=5000");

        Duration waited = Duration.ofNanos(System.nanoTime() - started);
        assertThat(reply.status()).isEqualTo(200);
        JsonNode job = reply.json();
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("result")).isEqualTo(Reply.JSON.readTree("{\"sleptMs\":200}"));
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        assertThat(Instant.parse(job.get("finishedAt").asString()))
                .isAfterOrEqualTo(Instant.parse(job.get("startedAt").asString()));
        assertThat(waited).isLessThan(Duration.ofMillis(4500));
    }

    @Test
    void aLongPollOnAnUnfinishedJobAnswersItsCurrentViewAfterTheWait() {
        String id = api.submit(LONG_SLEEP).get("id").asString();
        long started = System.nanoTime();

        Reply reply = api.get("/jobs/" + id + "?waitMs=300");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asString()).isIn("QUEUED", "RUNNING");
    }

    @Test
    void computeAnswersTheSha256ChainOfItsInput() throws Exception {
        String input = "quiesce \u00e9t\u00e9 \u2603";
        int iterations = 1000;
        String id = api.submit("{\"type\":\"compute\",\"params\":{\"input\":\"" + input + "\",\"iterations\":"
                + iterations + "}}").get("id").asString();

        JsonNode job = api.awaitFinished(id, FINISH_WITHIN);

        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] digest = sha256.digest(input.getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i < iterations; i++) {
            digest = sha256.digest(digest);
        }
        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("result").get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(digest));
    }

    @Test
    void aFailJobEndsFailedWithItsMessageAsTheError() {
        String id = api.submit("{\"type\":\"fail\",\"params\":{\"afterMs\":20,\"message\":\"disk on fire\"}}")
                .get("id").asString();

        JsonNode job = api.awaitFinished(id, FINISH_WITHIN);

        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).isEqualTo("disk on fire");
        assertThat(job.has("result")).isFalse();
    }

    @Test
    void aFanoutAnswersItsResultsInTaskOrder() {
        String id = api.submit("{\"type\":\"fanout\",\"params\":{\"tasks\":["
                + "{\"type\":\"sleep\",\"params\":{\"durationMs\":300}},"
                + "{\"type\":\"compute\",\"params\":{\"input\":\"a\",\"iterations\":1}},"
                + "{\"type\":\"sleep\",\"params\":{\"durationMs\":5}}]}}").get("id").asString();

        JsonNode job = api.awaitFinished(id, FINISH_WITHIN);

        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("result")).isEqualTo(Reply.JSON.readTree("{\"results\":[{\"sleptMs\":300},"
                + "{\"sha256\":\"ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb\"},"
                + "{\"sleptMs\":5}]}"));
    }

    @Test
    void aFailingFanoutTaskCancelsItsLongSiblingAtOnceAndItsErrorIsTheJobs() {
        String id = api.submit("{\"type\":\"fanout\",\"params\":{\"tasks\":["
                + "{\"type\":\"sleep\",\"params\":{\"durationMs\":60000}},"
                + "{\"type\":\"fail\",\"params\":{\"afterMs\":100,\"message\":\"task two broke\"}}]}}")
                .get("id").asString();

        JsonNode job = api.awaitFinished(id, Duration.ofSeconds(15));

        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).isEqualTo("task two broke");
        Duration ran = Duration.between(Instant.parse(job.get("startedAt").asString()),
                Instant.parse(job.get("finishedAt").asString()));
        assertThat(ran).as("the 60 s sibling was cut short").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void withoutFailFastEveryFanoutTaskRunsToItsEndAndTheFirstFailureIsTheError() {
        String id = api.submit("{\"type\":\"fanout\",\"params\":{\"failFast\":false,\"tasks\":["
                + "{\"type\":\"sleep\",\"params\":{\"durationMs\":400}},"
                + "{\"type\":\"fail\",\"params\":{\"afterMs\":10,\"message\":\"early failure\"}}]}}")
                .get("id").asString();

        JsonNode job = api.awaitFinished(id, FINISH_WITHIN);

        assertThat(job.get("status").asString()).isEqualTo("FAILED");
        assertThat(job.get("error").asString()).isEqualTo("early failure");
        Duration ran = Duration.between(Instant.parse(job.get("startedAt").asString()),
                Instant.parse(job.get("finishedAt").asString()));
        assertThat(ran).isGreaterThanOrEqualTo(Duration.ofMillis(390));
    }

    @Test
    void theListIsNewestFirstAndItsPagesStayStableWhileJobsAreAdded() {
        List<String> first = submitQuickJobs(5);

        JsonNode page1 = api.get("/jobs?limit=2").json();
        assertThat(ids(page1)).containsExactly(first.get(4), first.get(3));
        assertThat(page1.get("next").isString()).isTrue();

        List<String> added = submitQuickJobs(3);

        JsonNode page2 = api.get("/jobs?limit=2&cursor=" + page1.get("next").asString()).json();
        assertThat(ids(page2)).containsExactly(first.get(2), first.get(1));
        JsonNode page3 = api.get("/jobs?limit=2&cursor=" + page2.get("next").asString()).json();
        assertThat(ids(page3).get(0)).isEqualTo(first.get(0));

        List<String> seen = new ArrayList<>(ids(page1));
        seen.addAll(ids(page2));
        seen.addAll(ids(page3));
        assertThat(seen).doesNotHaveDuplicates().doesNotContainAnyElementsOf(added);

        JsonNode fresh = api.get("/jobs?limit=3").json();
        assertThat(ids(fresh)).containsExactly(added.get(2), added.get(1), added.get(0));
        JsonNode all = api.get("/jobs?limit=1000").json();
        List<String> allIds = ids(all);
        assertThat(allIds).isSortedAccordingTo((a, b) -> b.compareTo(a));
        assertThat(all.get("next").isNull()).isTrue();
    }

    @Test
    void theListFiltersByStatus() {
        String done = submitQuickJobs(1).get(0);
        api.awaitFinished(done, FINISH_WITHIN);

        // the filter reads the store, which the processor writes behind (quiesce.processor.flush-interval)
        JsonNode[] succeeded = new JsonNode[1];
        await().atMost(FINISH_WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> {
            succeeded[0] = api.get("/jobs?status=SUCCEEDED&limit=1000").json();
            return ids(succeeded[0]).contains(done);
        });

        succeeded[0].get("jobs").forEach(job -> assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED"));
        assertThat(ids(api.get("/jobs?status=QUEUED&limit=1000").json())).doesNotContain(done);
    }

    @Test
    void deletingAQueuedJobCancelsItAtOnce() {
        fillThePool();
        String queued = api.submit(LONG_SLEEP).get("id").asString();
        assertThat(api.job(queued).get("status").asString()).isEqualTo("QUEUED");

        Reply reply = api.delete("/jobs/" + queued);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.job(queued).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void deletingARunningJobCancelsItAsSoonAsItNotices() {
        String running = api.submit(LONG_SLEEP).get("id").asString();
        api.awaitStatus(running, "RUNNING", FINISH_WITHIN);

        Reply reply = api.delete("/jobs/" + running);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        JsonNode job = api.awaitFinished(running, Duration.ofSeconds(5));
        assertThat(job.get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void deletingAFinishedJobIs409AndAnUnknownOne404() {
        String id = submitQuickJobs(1).get(0);
        api.awaitFinished(id, FINISH_WITHIN);

        assertProblem(api.delete("/jobs/" + id), 409);
        assertThat(api.job(id).get("status").asString()).isEqualTo("SUCCEEDED");
        assertProblem(api.delete("/jobs/" + UUID.randomUUID()), 404);
    }

    @Test
    void aRepeatWithTheSameIdempotencyKeyAndBodyAnswersTheSameJobAndCreatesNothing() {
        String key = "order-" + UUID.randomUUID();
        String body = "{\"type\":\"sleep\",\"params\":{\"durationMs\":5}}";

        Reply first = api.post("/jobs", body, "Idempotency-Key", key);
        List<String> after = api.jobIds();
        Reply again = api.post("/jobs", body, "Idempotency-Key", key);
        Reply reordered = api.post("/jobs", "{ \"params\" : { \"durationMs\" : 5 }, \"type\" : \"sleep\" }",
                "Idempotency-Key", key);

        assertThat(first.status()).isEqualTo(202);
        String id = first.json().get("id").asString();
        assertThat(first.json().get("idempotencyKey").asString()).isEqualTo(key);
        for (Reply repeat : List.of(again, reordered)) {
            assertThat(repeat.status()).as(repeat.toString()).isIn(200, 202);
            assertThat(repeat.json().get("id").asString()).isEqualTo(id);
        }
        assertThat(api.jobIds()).isEqualTo(after);
        long withKey = 0;
        for (JsonNode job : api.get("/jobs?limit=1000").json().get("jobs")) {
            withKey += job.hasNonNull("idempotencyKey") && key.equals(job.get("idempotencyKey").asString()) ? 1 : 0;
        }
        assertThat(withKey).isEqualTo(1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIs422AndCreatesNothing() {
        String key = "order-" + UUID.randomUUID();
        api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":5}}", "Idempotency-Key", key);
        List<String> before = api.jobIds();

        Reply reply = api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":6}}", "Idempotency-Key", key);

        assertProblem(reply, 422);
        assertThat(api.jobIds()).isEqualTo(before);
    }

    @Test
    void theLifecycleViewSaysRunning() {
        Reply lifecycle = api.get("/lifecycle");
        Reply actuator = api.get("/actuator/lifecycle");

        assertThat(lifecycle.status()).isEqualTo(200);
        JsonNode view = lifecycle.json();
        assertThat(view.get("state").asString()).isEqualTo("RUNNING");
        assertThat(view.get("instance").asString()).isEqualTo("web-test");
        assertThat(view.get("budgetMs").asLong()).isEqualTo(8000);
        assertThat(view.get("jobs").get("queued").isNumber()).isTrue();
        assertThat(view.get("jobs").get("running").isNumber()).isTrue();
        assertThat(view.get("phases").isArray()).isTrue();
        assertThat(actuator.status()).isEqualTo(200);
        assertThat(actuator.json().get("state").asString()).isEqualTo("RUNNING");
    }

    /** Two long sleeps on the two workers, both seen RUNNING: whatever comes next stays QUEUED. */
    private void fillThePool() {
        api.cancelUnfinished();
        await().atMost(FINISH_WITHIN)
                .until(() -> api.get("/jobs?status=RUNNING").json().get("jobs").isEmpty());
        String a = api.submit(LONG_SLEEP).get("id").asString();
        String b = api.submit(LONG_SLEEP).get("id").asString();
        api.awaitStatus(a, "RUNNING", FINISH_WITHIN);
        api.awaitStatus(b, "RUNNING", FINISH_WITHIN);
    }

    private List<String> submitQuickJobs(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":0}}").get("id").asString());
        }
        return ids;
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("jobs").forEach(job -> ids.add(job.get("id").asString()));
        return ids;
    }
}
