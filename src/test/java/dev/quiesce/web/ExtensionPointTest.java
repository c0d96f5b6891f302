package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * A job type added as one bean ({@link EchoJobConfiguration}) is accepted by {@code POST /jobs}, has its
 * params validated by its annotations, and runs.
 */
class ExtensionPointTest extends RunningServiceTest {

    @Test
    void aJobTypeDeclaredAsABeanRunsToSucceededWithItsResult() {
        JsonNode accepted = api.submit("{\"type\":\"echo\",\"params\":{\"text\":\"hello\",\"times\":3}}");
        assertThat(accepted.get("type").asString()).isEqualTo("echo");

        JsonNode job = api.awaitFinished(accepted.get("id").asString(), FINISH_WITHIN);

        assertThat(job.get("status").asString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("result")).isEqualTo(Reply.JSON.readTree("{\"echo\":\"hello hello hello\"}"));
        assertThat(job.get("params")).isEqualTo(Reply.JSON.readTree("{\"text\":\"hello\",\"times\":3}"));
    }

    @Test
    void itsParamsAreValidatedByTheirAnnotations() {
        List<String> before = api.jobIds();

        assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{\"text\":\"hi\",\"times\":0}}"), "params.times");
        assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{\"text\":\"hi\",\"times\":4}}"), "params.times");
        assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{\"text\":\" \",\"times\":1}}"), "params.text");
        assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{\"text\":\"" + "t".repeat(65)
                + "\",\"times\":1}}"), "params.text");
        assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{\"text\":\"hi\",\"times\":\"2\"}}"), "params.times");
        assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{\"text\":\"hi\",\"times\":1,\"volume\":11}}"),
                "params.volume");
        JsonNode both = assertInvalid(api.post("/jobs", "{\"type\":\"echo\",\"params\":{}}"), "params.text");
        assertThat(both.get("errors").findValuesAsString("field")).contains("params.times");

        assertThat(api.jobIds()).isEqualTo(before);
    }

    @Test
    void itIsListedAmongTheKnownTypes() {
        JsonNode problem = assertInvalid(api.post("/jobs", "{\"type\":\"ech\",\"params\":{}}"), "type");

        assertThat(problem.get("errors").get(0).get("message").asString()).contains("echo");
    }
}
