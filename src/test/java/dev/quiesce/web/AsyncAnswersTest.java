package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.BEARER_CHALLENGE;
import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static dev.quiesce.web.ProblemAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * Long polls and request bodies are answered on a second (async) dispatch, after the wait or the body's arrival,
 * without a thread held in between: that dispatch must keep the first one's authorisation, and answer as a plain
 * request would. With {@code quiesce.api.token} set, so the job API is closed.
 */
class AsyncAnswersTest extends TokenServiceTest {

    @Test
    void aSubmitWithTheTokenIsStoredAndItsLongPollAnswersTheFinishedJob() {
        Reply submitted = client.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":100}}");
        assertThat(submitted.status()).as(submitted.toString()).isEqualTo(202);
        String id = submitted.json().get("id").asString();

        Reply polled = client.get("/jobs/" + id + "?waitMs=10000");

        assertThat(polled.status()).as(polled.toString()).isEqualTo(200);
        assertThat(polled.json().get("status").asString()).isEqualTo("SUCCEEDED");
    }

    @Test
    void withoutTheTokenNeitherALongPollNorABodyIsServed() {
        String id = client.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").json().get("id")
                .asString();

        assertUnauthorized(anonymous.get("/jobs/" + id + "?waitMs=100"), BEARER_CHALLENGE);
        assertUnauthorized(anonymous.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}"),
                BEARER_CHALLENGE);
    }

    @Test
    void aLongPollOnAnUnknownJobIs404AtOnce() {
        long started = System.nanoTime();

        Reply reply = client.get("/jobs/" + UUID.randomUUID() + "?waitMs=30000");

        assertProblem(reply, 404);
        assertThat(System.nanoTime() - started).as("nanoseconds to the 404").isLessThan(5_000_000_000L);
    }

    @Test
    void aBodyOverTheLimitSentInChunksIs413() {
        String big = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        var request = client.request("/jobs").header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .build(); // no length known: sent chunked, so it is read before the request goes on

        assertProblem(client.send(request), 413);
    }
}
