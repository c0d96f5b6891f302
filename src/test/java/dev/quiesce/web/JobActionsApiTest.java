package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertInvalid;
import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** Retry by hand, bulk retry and bulk cancel, against the running service. */
class JobActionsApiTest extends RunningServiceTest {

    private static final String LONG_SLEEP = "{\"type\":\"sleep\",\"params\":{\"durationMs\":60000}}";

    @AfterEach
    void cancelLeftovers() {
        api.cancelUnfinished();
    }

    private String failedJob(String message) {
        String id = api.submit("{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":\"" + message + "\"}}")
                .get("id").asString();
        assertThat(api.awaitFinished(id, FINISH_WITHIN).get("status").asString()).isEqualTo("FAILED");
        return id;
    }

    @Test
    void retryingAFailedJobQueuesItAgainWithItsAttemptsKeptAndItRunsAgainPromptly() {
        String id = failedJob("first");
        double retriedBefore = retriedByHand();

        Reply reply = api.post("/jobs/" + id + "/retry", "");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode view = reply.json();
        assertThat(view.get("id").asString()).isEqualTo(id);
        assertThat(view.get("status").asString()).isEqualTo("QUEUED");
        assertThat(view.get("attempts").asInt()).isEqualTo(1);
        assertThat(view.has("finishedAt")).isFalse();
        assertThat(view.get("error").asString()).isEqualTo("first");
        JsonNode again = api.awaitFinished(id, FINISH_WITHIN);
        assertThat(again.get("status").asString()).isEqualTo("FAILED");
        assertThat(again.get("attempts").asInt()).isEqualTo(2);
        assertThat(retriedByHand()).isEqualTo(retriedBefore + 1);
    }

    /** {@code quiesce_jobs_retried_by_hand_total} as Prometheus reads it. */
    private double retriedByHand() {
        Reply metrics = api.get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body().lines().filter(line -> line.startsWith("quiesce_jobs_retried_by_hand_total"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no quiesce_jobs_retried_by_hand_total in " + metrics));
    }

    @Test
    void retryingACancelledJobQueuesItAndItRunsToItsEnd() {
        List<String> busy = fillThePool();
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").get("id").asString();
        assertThat(api.delete("/jobs/" + id).json().get("status").asString()).isEqualTo("CANCELLED");

        Reply reply = api.post("/jobs/" + id + "/retry", "");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.json().get("status").asString()).isEqualTo("QUEUED");
        busy.forEach(running -> api.delete("/jobs/" + running));
        assertThat(api.awaitFinished(id, FINISH_WITHIN).get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void retryingAJobThatIsNeitherFailedNorCancelledIs409AndAnUnknownOne404() {
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").get("id").asString();
        assertThat(api.awaitFinished(id, FINISH_WITHIN).get("status").asString()).isEqualTo("SUCCEEDED");

        JsonNode conflict = assertProblem(api.post("/jobs/" + id + "/retry", ""), 409);

        assertThat(conflict.get("detail").asString()).contains("SUCCEEDED");
        assertThat(api.job(id).get("status").asString()).isEqualTo("SUCCEEDED");
        assertProblem(api.post("/jobs/" + UUID.randomUUID() + "/retry", ""), 404);
    }

    @Test
    void aBulkRetryRetriesEveryFailedJobOfTheTypeAndEachRunsAgain() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(failedJob("bulk " + i));
        }

        Reply reply = api.post("/jobs/retry?status=FAILED&type=fail", "");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode result = reply.json();
        assertThat(result.get("matched").asLong()).isGreaterThanOrEqualTo(3); // earlier tests' failures share the store
        assertThat(result.get("changed").asLong()).isEqualTo(result.get("matched").asLong());
        assertThat(result.get("complete").asBoolean()).isTrue();
        for (String id : ids) {
            await().atMost(FINISH_WITHIN).until(() -> api.job(id).get("attempts").asInt() == 2);
            assertThat(api.awaitFinished(id, FINISH_WITHIN).get("status").asString()).isEqualTo("FAILED");
        }
    }

    @Test
    void aBulkCancelEndsQueuedJobsAtOnceAndStopsRunningOnes() {
        List<String> running = fillThePool();
        String runningA = running.get(0);
        String runningB = running.get(1);
        String queued = api.submit(LONG_SLEEP).get("id").asString();
        assertThat(api.job(queued).get("status").asString()).isEqualTo("QUEUED");

        Reply queuedOnes = api.post("/jobs/cancel?status=QUEUED&type=sleep", "");

        assertThat(queuedOnes.status()).as(queuedOnes.toString()).isEqualTo(200);
        assertThat(queuedOnes.json().get("matched").asLong()).isEqualTo(1);
        assertThat(queuedOnes.json().get("changed").asLong()).isEqualTo(1);
        assertThat(api.job(queued).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.job(runningA).get("status").asString()).isEqualTo("RUNNING");

        Reply runningOnes = api.post("/jobs/cancel?status=running", "");

        assertThat(runningOnes.status()).as(runningOnes.toString()).isEqualTo(200);
        assertThat(runningOnes.json().get("changed").asLong()).isEqualTo(2);
        assertThat(api.awaitFinished(runningA, FINISH_WITHIN).get("status").asString()).isEqualTo("CANCELLED");
        assertThat(api.awaitFinished(runningB, FINISH_WITHIN).get("status").asString()).isEqualTo("CANCELLED");
    }

    @Test
    void aBulkChangeWithAMissingOrBadFilterIs400AndChangesNothing() {
        String failed = failedJob("stays failed");

        assertInvalid(api.post("/jobs/retry", ""), "status");
        assertInvalid(api.post("/jobs/retry?type=fail", ""), "status");
        assertInvalid(api.post("/jobs/retry?status=QUEUED", ""), "status");
        assertInvalid(api.post("/jobs/retry?status=nonsense", ""), "status");
        assertInvalid(api.post("/jobs/retry?status=FAILED&type=", ""), "type");
        assertInvalid(api.post("/jobs/cancel", ""), "status");
        assertInvalid(api.post("/jobs/cancel?status=FAILED", ""), "status");
        assertInvalid(api.post("/jobs/cancel?status=SUCCEEDED", ""), "status");

        assertThat(api.job(failed).get("status").asString()).isEqualTo("FAILED");
    }

    /** Two long sleeps on the two workers, both seen RUNNING: whatever comes next stays QUEUED. */
    private List<String> fillThePool() {
        api.cancelUnfinished();
        await().atMost(FINISH_WITHIN).until(() -> api.get("/jobs?status=RUNNING").json().get("jobs").isEmpty());
        String a = api.submit(LONG_SLEEP).get("id").asString();
        String b = api.submit(LONG_SLEEP).get("id").asString();
        api.awaitStatus(a, "RUNNING", FINISH_WITHIN);
        api.awaitStatus(b, "RUNNING", FINISH_WITHIN);
        return List.of(a, b);
    }
}
