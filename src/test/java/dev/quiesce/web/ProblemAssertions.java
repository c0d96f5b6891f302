package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

/** Assertions on RFC 9457 answers as the contract describes them. */
final class ProblemAssertions {

    private ProblemAssertions() {
    }

    /**
     * The answer has {@code status}, is {@code application/problem+json} with {@code type}, {@code title},
     * {@code status} (the HTTP status) and {@code detail}, and shows no stack trace or class name.
     */
    static JsonNode assertProblem(Reply reply, int status) {
        assertThat(reply.status()).as("status of %s", reply).isEqualTo(status);
        assertThat(reply.contentType()).as("content type of %s", reply).startsWith("application/problem+json");
        assertNoInternals(reply);
        JsonNode problem = reply.json();
        assertThat(problem.isObject()).as("body of %s", reply).isTrue();
        assertThat(problem.path("type").isString()).as("type of %s", reply).isTrue();
        assertThat(problem.path("type").asString()).isNotBlank();
        assertThat(problem.path("title").isString()).as("title of %s", reply).isTrue();
        assertThat(problem.path("title").asString()).isNotBlank();
        assertThat(problem.path("status").isInt()).as("status member of %s", reply).isTrue();
        assertThat(problem.path("status").asInt()).as("status member of %s", reply).isEqualTo(status);
        assertThat(problem.path("detail").isString()).as("detail of %s", reply).isTrue();
        assertThat(problem.path("detail").asString()).isNotBlank();
        return problem;
    }

    /** The challenge of every 401 from an endpoint behind HTTP Basic (RFC 9110, section 11.6.1). */
    static final String BASIC_CHALLENGE = "Basic realm=\"quiesce\"";
    /** The challenge of a 401 from the job API when a token is set (RFC 6750, section 3). */
    static final String BEARER_CHALLENGE = "Bearer realm=\"quiesce\"";

    /** A 401 problem that carries exactly one {@code WWW-Authenticate} challenge, {@code challenge}. */
    static JsonNode assertUnauthorized(Reply reply, String challenge) {
        JsonNode problem = assertProblem(reply, 401);
        assertThat(reply.headers().allValues("WWW-Authenticate")).as("challenges of %s", reply)
                .containsExactly(challenge);
        return problem;
    }

    /** A 400 whose {@code errors} name {@code field}, each error a {@code {field, message}}. */
    static JsonNode assertInvalid(Reply reply, String field) {
        JsonNode problem = assertProblem(reply, 400);
        JsonNode errors = problem.path("errors");
        assertThat(errors.isArray()).as("errors of %s", reply).isTrue();
        assertThat(errors.size()).as("errors of %s", reply).isPositive();
        List<String> fields = new ArrayList<>();
        for (JsonNode error : errors) {
            assertThat(error.path("field").isString()).as("error %s", error).isTrue();
            assertThat(error.path("message").isString()).as("error %s", error).isTrue();
            assertThat(error.path("message").asString()).as("error %s", error).isNotBlank();
            fields.add(error.path("field").asString());
        }
        assertThat(fields).as("fields named by %s", reply).contains(field);
        return problem;
    }

    /** No stack trace, exception class or package name leaks into an answer. */
    static void assertNoInternals(Reply reply) {
        assertThat(reply.body()).as("body of %s", reply)
                .doesNotContain("at dev.")
                .doesNotContain("Exception")
                .doesNotContain("java.")
                .doesNotContain("<html")
                .doesNotContain("<!doctype");
    }
}
