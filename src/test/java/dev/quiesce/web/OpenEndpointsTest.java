package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.BASIC_CHALLENGE;
import static dev.quiesce.web.ProblemAssertions.assertUnauthorized;
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
            "/actuator/info", "/actuator/prometheus", "/actuator/lifecycle", "/lifecycle", "/jobs", "/schedules",
            "/instances" })
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

    @ParameterizedTest(name = "GET {0} is 401 with the Basic challenge without credentials")
    @ValueSource(strings = { "/actuator/env", "/actuator/configprops", "/actuator/metrics", "/actuator" })
    void anAdminEndpointIs401WithTheBasicChallengeWithoutCredentials(String path) {
        assertUnauthorized(api.get(path), BASIC_CHALLENGE);
    }

    @ParameterizedTest(name = "GET {0} is 401 with the Basic challenge even as admin while no password is set")
    @ValueSource(strings = { "/actuator/env", "/actuator/configprops", "/actuator/metrics" })
    void anAdminEndpointIs401WithTheBasicChallengeEvenForAdminWhenNoPasswordIsSet(String path) {
        for (String password : new String[] { "", "admin", "password" }) {
            assertUnauthorized(api.get(path, "Authorization", basic("admin", password)), BASIC_CHALLENGE);
        }
    }

    @Test
    void shutdownIs401WithTheBasicChallengeWithOrWithoutCredentialsWhenNoPasswordIsSet() {
        assertUnauthorized(api.send(api.request("/actuator/shutdown").POST(BodyPublishers.noBody()).build()),
                BASIC_CHALLENGE);
        assertUnauthorized(api.send(api.request("/actuator/shutdown").header("Authorization", basic("admin", "admin"))
                .POST(BodyPublishers.noBody()).build()), BASIC_CHALLENGE);
        assertThat(api.get("/lifecycle").json().get("state").asString()).isEqualTo("RUNNING");
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
