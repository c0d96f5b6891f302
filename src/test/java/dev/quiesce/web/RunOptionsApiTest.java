package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** A submission's run options over HTTP: later, priority, timeout, retries, and the answers to bad ones. */
class RunOptionsApiTest extends RunningServiceTest {

    @AfterEach
    void cancelLeftovers() {
        api.cancelUnfinished();
    }

    @Test
    void aJobForLaterIsScheduledWithItsTimeListedUnderScheduledAndCancelledAtOnce() {
        JsonNode job = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"delayMs\":600000,"
                + "\"priority\":7}");
        String id = job.get("id").asString();
        assertThat(job.get("status").asString()).isEqualTo("SCHEDULED");
        assertThat(Instant.parse(job.get("runAt").asString()))
                .isEqualTo(Instant.parse(job.get("submittedAt").asString()).plusSeconds(600));
        assertThat(job.get("priority").asInt()).isEqualTo(7);
        assertThat(job.get("retries").asInt()).isZero();
        assertThat(job.get("failures").asInt()).isZero();
        assertThat(job.has("timeoutMs")).isFalse();

        assertThat(api.get("/jobs?status=SCHEDULED&limit=1000").json().get("jobs").findValuesAsString("id"))
                .contains(id);
        Reply cancelled = api.delete("/jobs/" + id);
        assertThat(cancelled.status()).isEqualTo(202);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.job(id).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aJobWhoseTimeHasPassedRunsAtOnce() {
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"runAt\":\"2020-01-01T00:00:00Z\"}")
                .get("id").asString();
        JsonNode done = api.awaitFinished(id, Duration.ofSeconds(20));
        assertThat(done.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(done.get("runAt").asString()).isEqualTo("2020-01-01T00:00:00Z");
    }

    @Test
    void aRunPastItsTimeoutFailsWithTheReasonTimeout() {
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":60000},\"timeoutMs\":300}")
                .get("id").asString();
        JsonNode done = api.awaitFinished(id, Duration.ofSeconds(20));
        assertThat(done.get("status").asString()).isEqualTo("FAILED");
        assertThat(done.get("error").asString()).isEqualTo("timeout");
        assertThat(done.get("timeoutMs").asLong()).isEqualTo(300);
        assertThat(done.get("failures").asInt()).isEqualTo(1);
    }

    @Test
    void aFailedRunWithARetryLeftWaitsScheduledWithItsErrorThenRunsAgain() {
        String id = api.submit("{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":\"flaky\"},\"retries\":1}")
                .get("id").asString();
        JsonNode done = api.awaitFinished(id, Duration.ofSeconds(20));
        assertThat(done.get("status").asString()).isEqualTo("FAILED");
        assertThat(done.get("error").asString()).isEqualTo("flaky");
        assertThat(done.get("attempts").asInt()).as("tried again once").isEqualTo(2);
        assertThat(done.get("failures").asInt()).isEqualTo(2);
        assertThat(done.get("retries").asInt()).isEqualTo(1);
    }

    @Test
    void aRepeatOfAKeyMustAskTheSameOptions() {
        String key = "options-" + UUID.randomUUID();
        String body = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"delayMs\":600000}";
        String id = api.post("/jobs", body, "Idempotency-Key", key).json().get("id").asString();
        Reply repeat = api.post("/jobs", body, "Idempotency-Key", key);
        assertThat(repeat.status()).isEqualTo(200);
        assertThat(repeat.json().get("id").asString()).isEqualTo(id);
        assertProblem(api.post("/jobs", body.replace("600000", "600001"), "Idempotency-Key", key), 422);
    }

    @Test
    void jobsCanBeListedByType() {
        String failing = api.submit("{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":\"x\"}}")
                .get("id").asString();
        String sleeping = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").get("id").asString();
        List<String> fails = new ArrayList<>(api.get("/jobs?type=fail&limit=1000").json().get("jobs")
                .findValuesAsString("id"));
        assertThat(fails).contains(failing).doesNotContain(sleeping);
        assertThat(api.get("/jobs?type=fail&limit=1000").json().get("jobs").findValuesAsString("type"))
                .containsOnly("fail");
        assertProblem(api.get("/jobs?type="), 400);
    }

    @Test
    void badOptionsAreAnswered400NamingEachField() {
        JsonNode problem = assertProblem(api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},"
                + "\"priority\":10,\"timeoutMs\":0,\"retries\":26,\"runAt\":\"tomorrow\"}"), 400);
        assertThat(problem.get("errors").findValuesAsString("field"))
                .containsExactlyInAnyOrder("priority", "timeoutMs", "retries", "runAt");
        assertThat(assertProblem(api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},"
                + "\"runAt\":\"2030-01-01T00:00:00Z\",\"delayMs\":5}"), 400).get("errors")
                .findValuesAsString("field")).containsExactly("delayMs");
        assertThat(assertProblem(api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},"
                + "\"priority\":\"5\"}"), 400).get("errors").findValuesAsString("field")).containsExactly("priority");
        assertThat(assertProblem(api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},"
                + "\"delayMs\":31536000001}"), 400).get("errors").findValuesAsString("field"))
                .containsExactly("delayMs");
    }

    @Test
    void nullOptionsAreAsIfAbsent() {
        JsonNode job = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"runAt\":null,"
                + "\"priority\":null}");
        assertThat(job.get("priority").asInt()).isEqualTo(5);
        assertThat(job.has("runAt")).isFalse();
    }
}
