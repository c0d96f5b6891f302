package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

/** What the contract opens, and what it closes when no admin password is set. */
class OpenEndpointsTest extends RunningServiceTest {

    @ParameterizedTest(name = "{0} is open")
    @ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
            "/actuator/info", "/actuator/prometheus", "/actuator/lifecycle", "/lifecycle", "/jobs", "/schedules" })
    void anOpenEndpointAnswers200WithoutCredentials(String path) {
        Reply reply = api.get(path);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    @Test
    void healthAndReadinessAreUpWhileRunning() {
        assertThat(api.get("/actuator/health").json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/liveness").json().get("status").asString()).isEqualTo("UP");
        assertThat(api.get("/actuator/health/readiness").json().get("status").asString()).isEqualTo("UP");
    }

    @ParameterizedTest(name = "GET {0} is 401 without credentials")
    @ValueSource(strings = { "/actuator/env", "/actuator/configprops", "/actuator/metrics", "/actuator" })
    void anAdminEndpointIs401WithoutCredentials(String path) {
        assertProblem(api.get(path), 401);
    }

    @ParameterizedTest(name = "GET {0} is 401 even as admin while no password is set")
    @ValueSource(strings = { "/actuator/env", "/actuator/configprops", "/actuator/metrics" })
    void anAdminEndpointIs401EvenForAdminWhenNoPasswordIsSet(String path) {
        for (String password : new String[] { "", "admin", "password" }) {
            assertProblem(api.get(path, "Authorization", basic("admin", password)), 401);
        }
    }

    @Test
    void shutdownIs401WithOrWithoutCredentialsWhenNoPasswordIsSet() {
        assertProblem(api.send(api.request("/actuator/shutdown").POST(BodyPublishers.noBody()).build()), 401);
        assertProblem(api.send(api.request("/actuator/shutdown").header("Authorization", basic("admin", "admin"))
                .POST(BodyPublishers.noBody()).build()), 401);
        assertThat(api.get("/lifecycle").json().get("state").asString()).isEqualTo("RUNNING");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
