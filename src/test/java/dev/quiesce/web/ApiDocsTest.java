package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** The OpenAPI document describes every endpoint of the contract's job API, with its error answers. */
class ApiDocsTest extends RunningServiceTest {

    private static final Map<String, List<String>> CONTRACT = Map.ofEntries(
            Map.entry("/jobs", List.of("post", "get")),
            Map.entry("/jobs/{id}", List.of("get", "delete")),
            Map.entry("/jobs/{id}/retry", List.of("post")),
            Map.entry("/jobs/retry", List.of("post")),
            Map.entry("/jobs/cancel", List.of("post")),
            Map.entry("/schedules", List.of("get")),
            Map.entry("/schedules/{name}/pause", List.of("post")),
            Map.entry("/schedules/{name}/resume", List.of("post")),
            Map.entry("/schedules/{name}/trigger", List.of("post")),
            Map.entry("/instances", List.of("get")),
            Map.entry("/lifecycle", List.of("get")),
            Map.entry("/lifecycle/stream", List.of("get")));

    @Test
    void everyEndpointOfTheContractIsInTheDocument() {
        Reply reply = api.get("/v3/api-docs");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode paths = reply.json().get("paths");
        CONTRACT.forEach((path, methods) -> {
            assertThat(paths.has(path)).as("path %s", path).isTrue();
            methods.forEach(method -> assertThat(paths.get(path).has(method)).as("%s %s", method, path).isTrue());
        });
    }

    @Test
    void submissionDocumentsItsProblemAnswersAndTheirHeaders() {
        JsonNode post = api.get("/v3/api-docs").json().get("paths").get("/jobs").get("post");
        JsonNode responses = post.get("responses");
        for (String status : List.of("202", "400", "413", "415", "422", "429", "503")) {
            assertThat(responses.has(status)).as("response %s", status).isTrue();
        }
        assertThat(responses.get("400").get("content").has("application/problem+json")).isTrue();
        assertThat(responses.get("429").get("headers").has("Retry-After")).isTrue();
        assertThat(responses.get("503").get("headers").has("Retry-After")).isTrue();
        assertThat(responses.get("503").get("headers").has("Connection")).isTrue();
        assertThat(responses.get("202").get("headers").has("Location")).isTrue();
        assertThat(post.get("requestBody").get("content").has("application/json")).isTrue();
    }

    @Test
    void aTriggerDocumentsItsJobAndItsRefusals() {
        JsonNode responses = api.get("/v3/api-docs").json().get("paths").get("/schedules/{name}/trigger").get("post")
                .get("responses");
        for (String status : List.of("202", "404", "429", "503")) {
            assertThat(responses.has(status)).as("response %s", status).isTrue();
        }
        assertThat(responses.get("202").get("headers").has("Location")).isTrue();
        assertThat(responses.get("404").get("content").has("application/problem+json")).isTrue();
    }

    @Test
    void swaggerUiIsServedOpenly() {
        assertThat(api.get("/swagger-ui/index.html").status()).isEqualTo(200);
    }
}
