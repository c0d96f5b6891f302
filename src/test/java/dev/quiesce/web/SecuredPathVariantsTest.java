package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * With {@code quiesce.api.token} set, no spelling of a job-API path reaches a handler without the token: every
 * handler Spring MVC maps under {@code /jobs}, {@code /schedules} and {@code /instances} (read from the mappings at
 * run time, so a new endpoint is walked too), each of its methods, each path sent percent-encoded, with doubled or
 * encoded slashes, matrix parameters, dot segments, a trailing slash or another case. A handler reached is seen by an
 * interceptor; a job created or cancelled is seen in the store.
 */
class SecuredPathVariantsTest extends TokenServiceTest {

    private static final String JOB = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}";
    private static final String LONG_JOB = "{\"type\":\"sleep\",\"params\":{\"durationMs\":600000}}";

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Autowired
    HandlerLog handlers;

    @Test
    void theWalkCoversEveryJobApiHandlerTheContractNames() {
        assertThat(jobApi()).extracting(Endpoint::toString).contains("POST /jobs", "GET /jobs", "HEAD /jobs",
                "GET /jobs/{id}", "DELETE /jobs/{id}", "GET /schedules", "POST /schedules/{name}/pause",
                "POST /schedules/{name}/resume", "POST /schedules/{name}/trigger", "GET /instances",
                "POST /jobs/{id}/retry", "POST /jobs/retry", "POST /jobs/cancel");
    }

    @Test
    void withoutTheTokenNoSpellingOfAnyJobApiPathReachesItsHandler() {
        String id = client.submit(LONG_JOB).get("id").asString();
        String status = client.awaitStatus(id, "RUNNING", RunningServiceTest.FINISH_WITHIN).get("status").asString();
        List<String> jobsBefore = client.jobIds();
        handlers.reached.clear();

        SoftAssertions softly = new SoftAssertions();
        int sent = 0;
        for (Endpoint endpoint : jobApi()) {
            for (String path : variants(endpoint.path(id))) {
                Reply reply = anonymous.send(endpoint.request(uri(path)).build());
                sent++;
                softly.assertThat(reply.status()).as("%s %s without the token: %s", endpoint.method(), path, reply)
                        .isIn(401, 400, 404, 405);
                if (reply.status() == 401) {
                    softly.assertThat(reply.headers().allValues("WWW-Authenticate"))
                            .as("%s %s challenge", endpoint.method(), path)
                            .containsExactly(ProblemAssertions.BEARER_CHALLENGE);
                }
            }
        }
        softly.assertAll();

        assertThat(sent).isGreaterThan(100);
        assertThat(handlers.reached).as("job-API handlers reached without the token")
                .doesNotContainAnyElementsOf(jobApi().stream().map(Endpoint::handler).toList());
        assertThat(client.jobIds()).as("jobs in the store").isEqualTo(jobsBefore);
        assertThat(client.job(id).get("status").asString()).as("the job every {id} named").isEqualTo(status);
        assertThat(client.delete("/jobs/" + id).status()).isEqualTo(202);
    }

    @Test
    void withTheTokenEveryPlainJobApiPathReachesItsHandler() {
        String id = client.submit(LONG_JOB).get("id").asString();
        handlers.reached.clear();

        for (Endpoint endpoint : jobApi()) {
            // A retry names a job that is not there (its handler answers 404): a retry of the walk's job, once
            // DELETE has cancelled it, would set it running again.
            boolean retry = endpoint.toString().equals("POST /jobs/{id}/retry");
            String path = endpoint.path(retry ? UUID.randomUUID().toString() : id) + endpoint.requiredQuery();
            Reply reply = client.send(endpoint.request(uri(path)).header("Authorization", "Bearer " + TOKEN).build());

            if (retry) {
                assertThat(reply.status()).as("%s %s with the token: %s", endpoint.method(), path, reply)
                        .isEqualTo(404);
            } else {
                assertThat(reply.status()).as("%s %s with the token: %s", endpoint.method(), path, reply)
                        .isBetween(200, 299);
            }
            assertThat(handlers.reached).as("%s %s", endpoint.method(), path).contains(endpoint.handler());
        }
        assertThat(client.awaitStatus(id, "CANCELLED", RunningServiceTest.FINISH_WITHIN).get("status").asString())
                .as("the job DELETE named").isEqualTo("CANCELLED");
    }

    /** An absolute URI with {@code path} exactly as written: no resolution, so no dot segment is removed. */
    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    /** Every (method, pattern) MVC maps under /jobs, /schedules and /instances; a GET answers HEAD too. */
    private List<Endpoint> jobApi() {
        List<Endpoint> endpoints = new ArrayList<>();
        mappings.getHandlerMethods().forEach((RequestMappingInfo info, HandlerMethod handler) -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String pattern : info.getPatternValues()) {
                if (!(pattern.equals("/jobs") || pattern.startsWith("/jobs/") || pattern.equals("/schedules")
                        || pattern.startsWith("/schedules/") || pattern.equals("/instances")
                        || pattern.startsWith("/instances/"))) {
                    continue;
                }
                Set<String> names = new LinkedHashSet<>();
                if (methods.isEmpty()) {
                    for (RequestMethod each : RequestMethod.values()) {
                        names.add(each.name());
                    }
                }
                methods.forEach(each -> names.add(each.name()));
                if (names.contains("GET")) {
                    names.add("HEAD");
                }
                names.remove("TRACE");
                names.forEach(name -> endpoints.add(new Endpoint(name, pattern, handler.getMethod())));
            }
        });
        return endpoints;
    }

    /**
     * Spellings of {@code path} a client might send for it, or near it: each must be refused or challenged
     * without the token, never routed to a handler.
     */
    static List<String> variants(String path) {
        int end = path.indexOf('/', 1);
        String first = end < 0 ? path.substring(1) : path.substring(1, end);
        String rest = end < 0 ? "" : path.substring(end);
        StringBuilder allEncoded = new StringBuilder();
        first.chars().forEach(c -> allEncoded.append(encode((char) c)));
        List<String> variants = new ArrayList<>(List.of(
                "/" + encode(first.charAt(0)) + first.substring(1) + rest, // /%6Aobs
                "/" + first.charAt(0) + encode(first.charAt(1)) + first.substring(2) + rest, // /j%6Fbs
                "/" + encode(first.charAt(0)).toLowerCase(Locale.ROOT) + first.substring(1) + rest, // /%6aobs
                "/" + allEncoded + rest, // /%6A%6F%62%73
                "/%2F" + path.substring(1), // /%2Fjobs
                "//" + path.substring(1), // //jobs
                "///" + path.substring(1),
                "/" + first + ";x=1" + rest, // /jobs;x=1
                "/" + first + "%3Bx=1" + rest,
                path + ";x=1",
                path + ";",
                path + "/",
                path + "//",
                "/./" + path.substring(1),
                "/x/.." + path,
                "/%2E/" + path.substring(1),
                "/%2e%2e" + path,
                "/%5C" + path.substring(1),
                "/" + first + "%00" + rest,
                "/" + first.toUpperCase(Locale.ROOT) + rest, // /JOBS
                "/" + Character.toUpperCase(first.charAt(0)) + first.substring(1) + rest)); // /Jobs
        if (!rest.isEmpty()) {
            variants.add("/" + first + "%2F" + rest.substring(1)); // /jobs%2F{id}
            variants.add("/" + first + "/" + rest); // /jobs//{id}
            variants.add("/" + first + "/." + rest); // /jobs/./{id}
            variants.add("/" + encode(first.charAt(0)) + first.substring(1) + "/" + encode(rest.charAt(1))
                    + rest.substring(2)); // both segments encoded
        }
        return variants;
    }

    private static String encode(char c) {
        return String.format(Locale.ROOT, "%%%02X", (int) c);
    }

    /** One mapped method and path pattern of the job API, and how to send a request to it. */
    record Endpoint(String method, String pattern, Method handler) {

        String path(String id) {
            return pattern.replace("{name}", SCHEDULE).replaceAll("\\{[^}]+}", id);
        }

        /** The filter a bulk action requires (one that changes none of the walk's jobs), else nothing. */
        String requiredQuery() {
            return switch (toString()) {
                case "POST /jobs/retry" -> "?status=FAILED&type=no-such-type";
                case "POST /jobs/cancel" -> "?status=SCHEDULED&type=no-such-type";
                default -> "";
            };
        }

        HttpRequest.Builder request(URI uri) {
            boolean body = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
            BodyPublisher publisher = body ? BodyPublishers.ofString(JOB, StandardCharsets.UTF_8)
                    : BodyPublishers.noBody();
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(ApiClient.REQUEST_TIMEOUT)
                    .method(method, publisher);
            return body ? builder.header("Content-Type", "application/json") : builder;
        }

        @Override
        public String toString() {
            return method + " " + pattern;
        }
    }
}
