package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

/** One worker and room for two queued jobs: the next submission is refused with 429 and Retry-After. */
@ServiceTest(properties = { "quiesce.pool.workers=1", "quiesce.pool.queue-capacity=2" })
class QueueFullTest {

    private static final String LONG_SLEEP = "{\"type\":\"sleep\",\"params\":{\"durationMs\":60000}}";

    @Autowired
    ApiClient api;

    @AfterEach
    void cancelLeftovers() {
        api.cancelUnfinished();
    }

    @Test
    void aSubmissionToAFullQueueIs429WithRetryAfterAndCreatesNothing() {
        String running = api.submit(LONG_SLEEP).get("id").asString();
        api.awaitStatus(running, "RUNNING", RunningServiceTest.FINISH_WITHIN);
        String queuedA = api.submit(LONG_SLEEP).get("id").asString();
        api.submit(LONG_SLEEP);
        List<String> before = api.jobIds();

        Reply refused = api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}");

        assertProblem(refused, 429);
        assertThat(refused.header("Retry-After")).as(refused.toString()).matches("[1-9][0-9]*");
        assertThat(api.jobIds()).isEqualTo(before);
        assertThat(api.get("/actuator/prometheus").body())
                .containsPattern("quiesce_jobs_rejected_total\\{reason=\"queue_full\"} [1-9]");

        assertThat(api.delete("/jobs/" + queuedA).status()).isEqualTo(202);
        assertThat(api.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").status())
                .as("room again once a queued job is cancelled").isEqualTo(202);
    }

    @Test
    void anIdempotentRepeatIsAnsweredEvenWhenTheQueueIsFull() {
        String running = api.submit(LONG_SLEEP).get("id").asString();
        api.awaitStatus(running, "RUNNING", RunningServiceTest.FINISH_WITHIN);
        Reply first = api.post("/jobs", LONG_SLEEP, "Idempotency-Key", "full-queue-repeat");
        api.submit(LONG_SLEEP);
        assertProblem(api.post("/jobs", LONG_SLEEP), 429);

        Reply repeat = api.post("/jobs", LONG_SLEEP, "Idempotency-Key", "full-queue-repeat");

        assertThat(repeat.status()).as(repeat.toString()).isIn(200, 202);
        assertThat(repeat.json().get("id").asString()).isEqualTo(first.json().get("id").asString());
    }
}
