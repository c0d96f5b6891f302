package dev.quiesce.web;

import static dev.quiesce.web.OpenEndpointsTest.basic;
import static dev.quiesce.web.ProblemAssertions.BASIC_CHALLENGE;
import static dev.quiesce.web.ProblemAssertions.BEARER_CHALLENGE;
import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static dev.quiesce.web.ProblemAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * With {@code quiesce.admin.password} and {@code quiesce.api.token} set: Actuator's closed endpoints take the
 * admin's Basic credentials, the job API takes the bearer token, and what the contract opens stays open.
 * Its own context, so the first test sees the metrics as they are right after start.
 */
@ServiceTest(properties = { "quiesce.admin.password=" + SecuredApiTest.ADMIN_PASSWORD,
        "quiesce.api.token=" + SecuredApiTest.TOKEN })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecuredApiTest {

    static final String ADMIN_PASSWORD = "adm1n-Pa55-zq7x";
    static final String TOKEN = "tok-9f8e7d6c5b4a";

    @LocalServerPort
    int port;

    private ApiClient anonymous;
    private ApiClient client;

    @BeforeEach
    void connect() {
        anonymous = new ApiClient(port);
        client = new ApiClient(port, "Authorization", "Bearer " + TOKEN);
    }

    @Test
    @Order(1)
    void everyContractMetricIsExposedRightAfterStartAndTheGaugesReadNumbers() {
        System.gc(); // a gauge whose supplier is only weakly held would read NaN from here on

        Reply reply = anonymous.get("/actuator/prometheus");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).contains("quiesce_jobs_submitted_total", "quiesce_jobs_completed_total",
                "quiesce_jobs_rejected_total", "quiesce_jobs_queued", "quiesce_jobs_running",
                "quiesce_jobs_requeued_total", "quiesce_job_duration_seconds",
                "quiesce_shutdown_phase_duration_seconds");
        assertThat(reply.body()).contains("quiesce_jobs_rejected_total{reason=\"queue_full\"}",
                "quiesce_jobs_completed_total{status=\"SUCCEEDED\"}");
        for (String gauge : List.of("quiesce_jobs_queued", "quiesce_jobs_running")) {
            Matcher line = Pattern.compile("(?m)^" + gauge + "(\\{[^}]*\\})? (\\S+)$").matcher(reply.body());
            assertThat(line.find()).as("a sample of %s", gauge).isTrue();
            assertThat(Double.parseDouble(line.group(2))).as(gauge).isNotNaN().isEqualTo(0.0);
        }
        // The job duration is a histogram (application.yaml), for p95/p99 with histogram_quantile(): buckets from
        // 1 ms to 10 min for every final status, registered before the first job.
        for (String status : List.of("SUCCEEDED", "FAILED", "CANCELLED")) {
            List<MatchResult> buckets = Pattern.compile("(?m)^quiesce_job_duration_seconds_bucket\\{(?=[^}]*status=\""
                    + status + "\")[^}]*le=\"([^\"]+)\"[^}]*\\} (\\S+)$").matcher(reply.body()).results().toList();
            assertThat(buckets).as("%s buckets before the first job", status)
                    .allSatisfy(bucket -> assertThat(Double.parseDouble(bucket.group(2))).isZero());
            List<String> bounds = buckets.stream().map(bucket -> bucket.group(1)).toList();
            assertThat(bounds).as("buckets of quiesce_job_duration_seconds{status=%s}", status).contains("+Inf");
            double[] finite = bounds.stream().filter(le -> !le.equals("+Inf")).mapToDouble(Double::parseDouble)
                    .sorted().toArray();
            assertThat(finite.length).as("finite bounds for %s", status).isGreaterThan(10);
            assertThat(finite[0]).as("smallest bound for %s", status).isLessThanOrEqualTo(0.002);
            assertThat(finite[finite.length - 1]).as("largest bound for %s", status).isGreaterThanOrEqualTo(600);
        }
    }

    @Test
    void theJobApiWithoutABearerTokenIs401ProblemWithTheBearerChallenge() {
        List<String> before = client.jobIds();

        Reply get = anonymous.get("/jobs");
        Reply post = anonymous.post("/jobs", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}");
        Reply schedules = anonymous.get("/schedules");
        Reply instances = anonymous.get("/instances");

        assertUnauthorized(get, BEARER_CHALLENGE);
        assertUnauthorized(post, BEARER_CHALLENGE);
        assertUnauthorized(schedules, BEARER_CHALLENGE);
        for (String action : List.of("pause", "resume", "trigger")) {
            assertUnauthorized(anonymous.post("/schedules/any/" + action, ""), BEARER_CHALLENGE);
        }
        assertUnauthorized(instances, BEARER_CHALLENGE);
        assertThat(client.jobIds()).isEqualTo(before);
    }

    @Test
    void theJobApiWithAWrongBearerTokenIs401ProblemWithTheBearerChallenge() {
        ApiClient wrong = new ApiClient(port, "Authorization", "Bearer " + TOKEN + "x");
        ApiClient basic = new ApiClient(port, "Authorization", basic("admin", ADMIN_PASSWORD));

        for (ApiClient each : List.of(wrong, basic)) {
            Reply reply = each.get("/jobs");
            assertUnauthorized(reply, BEARER_CHALLENGE);
            assertThat(reply.body()).doesNotContain(TOKEN).doesNotContain(ADMIN_PASSWORD);
            assertUnauthorized(each.get("/jobs/" + "01900000-0000-7000-8000-000000000000"), BEARER_CHALLENGE);
        }
    }

    @Test
    void theBearerSchemeIsMatchedInAnyCaseAndTheTokenExactly() {
        for (String scheme : List.of("Bearer ", "bearer ", "BEARER ", "bEaReR ", "Bearer   ")) {
            Reply reply = anonymous.get("/jobs", "Authorization", scheme + TOKEN);
            assertThat(reply.status()).as("Authorization: %s<token> -> %s", scheme, reply).isEqualTo(200);
        }
        for (String wrong : List.of("bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT), "Bearer" + TOKEN,
                "Bearer:" + TOKEN, "Token " + TOKEN, TOKEN, "Bearer " + TOKEN.substring(1))) {
            assertUnauthorized(anonymous.get("/jobs", "Authorization", wrong), BEARER_CHALLENGE);
        }
    }

    @Test
    void theJobApiWithTheRightBearerTokenWorks() {
        String id = client.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}").get("id").asString();

        assertThat(client.awaitFinished(id, RunningServiceTest.FINISH_WITHIN).get("status").asString())
                .isEqualTo("SUCCEEDED");
        assertThat(client.get("/schedules").status()).isEqualTo(200);
        assertThat(client.post("/schedules/none-configured/pause", "").status()).as("past the token, to the controller")
                .isEqualTo(404);
        assertThat(client.get("/instances").status()).isEqualTo(200);
        assertThat(client.jobIds()).contains(id);
    }

    @Test
    void lifecycleHealthAndMetricsStayOpenWithoutTheToken() {
        for (String path : List.of("/lifecycle", "/actuator/lifecycle", "/actuator/health",
                "/actuator/health/liveness", "/actuator/health/readiness", "/actuator/info", "/actuator/prometheus")) {
            assertThat(anonymous.get(path).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void envAnswersTheAdminAndShowsNoSecret() {
        Reply reply = anonymous.get("/actuator/env", "Authorization", basic("admin", ADMIN_PASSWORD));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.body()).contains("quiesce.admin.password")
                .doesNotContain(ADMIN_PASSWORD).doesNotContain(TOKEN);
    }

    @Test
    void adminEndpointsRefuseAWrongPasswordOrNoneWithTheBasicChallenge() {
        assertUnauthorized(anonymous.get("/actuator/env"), BASIC_CHALLENGE);
        assertUnauthorized(anonymous.get("/actuator/env", "Authorization", basic("admin", ADMIN_PASSWORD + "x")),
                BASIC_CHALLENGE);
        assertUnauthorized(anonymous.get("/actuator/env", "Authorization", basic("root", ADMIN_PASSWORD)),
                BASIC_CHALLENGE);
        assertUnauthorized(anonymous.get("/actuator/env", "Authorization", "Bearer " + TOKEN), BASIC_CHALLENGE);
        // Spring Security's default Basic entry point answers these without a challenge; ours does not.
        assertUnauthorized(anonymous.get("/actuator/env", "X-Requested-With", "XMLHttpRequest"), BASIC_CHALLENGE);
        assertUnauthorized(anonymous.get("/actuator/env", "X-Requested-With", "XMLHttpRequest",
                "Authorization", basic("admin", ADMIN_PASSWORD + "x")), BASIC_CHALLENGE);
        for (String password : List.of("wrong", "")) {
            Reply shutdown = anonymous.send(anonymous.request("/actuator/shutdown")
                    .header("Authorization", basic("admin", password))
                    .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
            assertUnauthorized(shutdown, BASIC_CHALLENGE);
            assertThat(shutdown.body()).doesNotContain(ADMIN_PASSWORD);
        }
        assertUnauthorized(anonymous.send(anonymous.request("/actuator/shutdown")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build()), BASIC_CHALLENGE);
    }
}
