package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertInvalid;
import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * The table of bad inputs: each one is answered with its own 4xx as problem+json (validation errors naming
 * the field, a 405 with its {@code Allow}), in the client's terms, never a 500 or a stack trace, and creates no
 * job.
 */
class BadInputTest extends RunningServiceTest {

    /** An id of the right shape that no job has. */
    private static final String NO_SUCH_ID = "01900000-0000-7000-8000-000000000000";

    /** One row: what is sent, the status it earns, and for a 400 the field its errors must name. */
    record BadInput(String name, Function<ApiClient, Reply> exchange, int status, String field) {
        @Override
        public String toString() {
            return name + " -> " + status + (field == null ? "" : " naming " + field);
        }
    }

    static Stream<BadInput> badInputs() {
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        String oversized = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1,\"pad\":\"" + "x".repeat(70_000) + "\"}}";
        String sixtyFiveTasks = IntStream.range(0, 65).mapToObj(i -> "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}")
                .collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                // not JSON at all, or not the JSON we take
                invalidBody("truncated JSON", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}", "body"),
                invalidBody("trailing garbage after the object", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}} x", "body"),
                invalidBody("a second value after the object", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}{}", "body"),
                invalidBody("single quotes", "{'type':'sleep','params':{'durationMs':1}}", "body"),
                invalidBody("NaN as a number", "{\"type\":\"sleep\",\"params\":{\"durationMs\":NaN}}", "body"),
                invalidBody("a comment", "{\"type\":\"sleep\", /* hi */ \"params\":{\"durationMs\":1}}", "body"),
                invalidBody("duplicate top-level keys", "{\"type\":\"sleep\",\"type\":\"fail\",\"params\":{\"durationMs\":1}}", "type"),
                invalidBody("duplicate keys in params", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1,\"durationMs\":2}}", "params.durationMs"),
                invalidBody("duplicate keys in a fanout task", "{\"type\":\"fanout\",\"params\":{\"tasks\":[{\"type\":\"sleep\","
                        + "\"type\":\"fail\"}]}}", "params.tasks[0].type"),
                invalidBody("10000 levels of [ as params", "{\"type\":\"sleep\",\"params\":" + deepArrays + "}", "body"),
                invalidBody("10000 levels of { as params", "{\"type\":\"sleep\",\"params\":" + deepObjects + "}", "body"),
                invalidBody("a number of 80 digits", "{\"type\":\"sleep\",\"params\":{\"durationMs\":" + "9".repeat(80) + "}}", "body"),
                new BadInput("bytes that are not UTF-8", api -> api.send(post(api, "application/json",
                        BodyPublishers.ofByteArray(new byte[] { '{', '"', 't', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}' }))),
                        400, "body"),
                // not valid Unicode: refused before anything is stored, never replaced or decoded loosely
                invalidBody("a lone high surrogate escape in a string", compute("x\\ud800y"), "params.input"),
                invalidBody("a lone low surrogate escape in a string", "{\"type\":\"fail\",\"params\":{\"afterMs\":0,"
                        + "\"message\":\"\\udc00\"}}", "params.message"),
                invalidBody("a surrogate pair in the wrong order", compute("\\udc00\\ud800"), "params.input"),
                invalidBody("a high surrogate escape at the end of a string", compute("abc\\udbff"), "params.input"),
                invalidBody("a lone surrogate escape in the type", "{\"type\":\"sle\\ud800ep\",\"params\":{}}", "type"),
                invalidBody("a lone surrogate escape in a field name", "{\"type\":\"sleep\",\"params\":{\"a\\ud800\":1}}",
                        "params.a?"),
                invalidBody("a lone surrogate escape in a fanout task", "{\"type\":\"fanout\",\"params\":{\"tasks\":["
                        + "{\"type\":\"compute\",\"params\":{\"input\":\"\\ud83d\",\"iterations\":1}}]}}",
                        "params.tasks[0].params.input"),
                invalidBytes("an overlong '<' (C0 BC) in a string", computeBytes(0xC0, 0xBC), "params.input"),
                invalidBytes("an overlong NUL (C0 80) in a string", computeBytes(0xC0, 0x80), "params.input"),
                invalidBytes("a three-byte overlong '/' (E0 80 AF)", computeBytes(0xE0, 0x80, 0xAF), "params.input"),
                invalidBytes("a surrogate encoded in UTF-8 (ED A0 80)", computeBytes(0xED, 0xA0, 0x80), "params.input"),
                invalidBytes("a code point past U+10FFFF (F4 90 80 80)", computeBytes(0xF4, 0x90, 0x80, 0x80), "params.input"),
                invalidBytes("a stray continuation byte (80)", computeBytes(0x80), "params.input"),
                invalidBytes("a byte never valid in UTF-8 (FF)", computeBytes(0xFF), "params.input"),
                invalidBytes("a sequence cut short by the end of the body", concat(
                        "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}".getBytes(StandardCharsets.UTF_8), 0xE2, 0x82), "body"),
                invalidBytes("a UTF-16 body", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}".getBytes(StandardCharsets.UTF_16),
                        "body"),
                // a number or a boolean where a string belongs is not a string
                invalidBody("compute input as a number", "{\"type\":\"compute\",\"params\":{\"input\":5,\"iterations\":1}}",
                        "params.input"),
                invalidBody("fail message as a boolean", "{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":true}}",
                        "params.message"),
                invalidBody("an empty body", "", "body"),
                invalidBody("a body of blanks", "   \n ", "body"),
                invalidBody("a JSON array", "[{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}]", "body"),
                invalidBody("a JSON string", "\"sleep\"", "body"),
                invalidBody("a JSON number", "42", "body"),
                invalidBody("JSON null", "null", "body"),
                // not JSON by its media type
                new BadInput("text/plain", api -> api.send(post(api, "text/plain", json(valid()))), 415, null),
                new BadInput("application/xml", api -> api.send(post(api, "application/xml",
                        BodyPublishers.ofString("<job type=\"sleep\"/>"))), 415, null),
                new BadInput("a form", api -> api.send(post(api, "application/x-www-form-urlencoded",
                        BodyPublishers.ofString("type=sleep&durationMs=1"))), 415, null),
                new BadInput("no Content-Type", api -> api.send(post(api, null, json(valid()))), 415, null),
                // too large
                new BadInput("a body over 64 KiB with Content-Length", api -> api.send(post(api, "application/json",
                        BodyPublishers.ofString(oversized))), 413, null),
                new BadInput("a body over 64 KiB, chunked", api -> api.send(post(api, "application/json",
                        BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(oversized.getBytes(StandardCharsets.UTF_8))))),
                        413, null),
                // the job's type
                invalidBody("an unknown type", "{\"type\":\"teleport\",\"params\":{}}", "type"),
                invalidBody("no type", "{\"params\":{\"durationMs\":1}}", "type"),
                invalidBody("a null type", "{\"type\":null,\"params\":{\"durationMs\":1}}", "type"),
                invalidBody("a type that is a number", "{\"type\":7,\"params\":{\"durationMs\":1}}", "type"),
                invalidBody("a type that is an object", "{\"type\":{\"name\":\"sleep\"},\"params\":{\"durationMs\":1}}", "type"),
                invalidBody("an unknown top-level field", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1},\"urgency\":9}", "urgency"),
                // params
                invalidBody("params that are an array", "{\"type\":\"sleep\",\"params\":[1]}", "params"),
                invalidBody("params that are a string", "{\"type\":\"sleep\",\"params\":\"durationMs=1\"}", "params"),
                invalidBody("sleep without durationMs", "{\"type\":\"sleep\",\"params\":{}}", "params.durationMs"),
                invalidBody("sleep without params", "{\"type\":\"sleep\"}", "params.durationMs"),
                invalidBody("durationMs as a string", "{\"type\":\"sleep\",\"params\":{\"durationMs\":\"100\"}}", "params.durationMs"),
                invalidBody("durationMs 1.5", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1.5}}", "params.durationMs"),
                invalidBody("durationMs true", "{\"type\":\"sleep\",\"params\":{\"durationMs\":true}}", "params.durationMs"),
                invalidBody("durationMs an object", "{\"type\":\"sleep\",\"params\":{\"durationMs\":{\"ms\":1}}}", "params.durationMs"),
                invalidBody("durationMs -1", "{\"type\":\"sleep\",\"params\":{\"durationMs\":-1}}", "params.durationMs"),
                invalidBody("durationMs 600001", "{\"type\":\"sleep\",\"params\":{\"durationMs\":600001}}", "params.durationMs"),
                invalidBody("durationMs past the int range", "{\"type\":\"sleep\",\"params\":{\"durationMs\":99999999999}}", "params.durationMs"),
                invalidBody("an unknown params field", "{\"type\":\"sleep\",\"params\":{\"durationMs\":1,\"jitter\":5}}", "params.jitter"),
                invalidBody("compute with 0 iterations", "{\"type\":\"compute\",\"params\":{\"input\":\"a\",\"iterations\":0}}", "params.iterations"),
                invalidBody("compute with 10000001 iterations", "{\"type\":\"compute\",\"params\":{\"input\":\"a\",\"iterations\":10000001}}", "params.iterations"),
                invalidBody("compute with an input of 4097 chars", "{\"type\":\"compute\",\"params\":{\"input\":\"" + "a".repeat(4097)
                        + "\",\"iterations\":1}}", "params.input"),
                invalidBody("compute without input", "{\"type\":\"compute\",\"params\":{\"iterations\":1}}", "params.input"),
                invalidBody("fail with a message of 1025 chars", "{\"type\":\"fail\",\"params\":{\"afterMs\":0,\"message\":\""
                        + "m".repeat(1025) + "\"}}", "params.message"),
                invalidBody("fail with afterMs -1", "{\"type\":\"fail\",\"params\":{\"afterMs\":-1,\"message\":\"m\"}}", "params.afterMs"),
                // fanout
                invalidBody("fanout with 0 tasks", "{\"type\":\"fanout\",\"params\":{\"tasks\":[]}}", "params.tasks"),
                invalidBody("fanout with 65 tasks", "{\"type\":\"fanout\",\"params\":{\"tasks\":" + sixtyFiveTasks + "}}", "params.tasks"),
                invalidBody("fanout without tasks", "{\"type\":\"fanout\",\"params\":{}}", "params.tasks"),
                invalidBody("a fanout inside a fanout", "{\"type\":\"fanout\",\"params\":{\"tasks\":[{\"type\":\"fanout\",\"params\":"
                        + "{\"tasks\":[{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}]}}]}}", "params.tasks[0].type"),
                invalidBody("a fanout task with an invalid param", "{\"type\":\"fanout\",\"params\":{\"tasks\":[{\"type\":\"sleep\","
                        + "\"params\":{\"durationMs\":-5}}]}}", "params.tasks[0].params.durationMs"),
                invalidBody("a fanout task of an unknown type", "{\"type\":\"fanout\",\"params\":{\"tasks\":["
                        + "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}},{\"type\":\"warp\",\"params\":{}}]}}", "params.tasks[1].type"),
                invalidBody("fanout failFast as a string", "{\"type\":\"fanout\",\"params\":{\"tasks\":[{\"type\":\"sleep\","
                        + "\"params\":{\"durationMs\":1}}],\"failFast\":\"yes\"}}", "params.failFast"),
                new BadInput("a chunked body with a chunk size that is not hex", api -> RawHttp.send(port(api),
                        "POST /jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n", "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                        400, null),
                // headers
                new BadInput("an Idempotency-Key of 256 chars", api -> api.post("/jobs", valid(), "Idempotency-Key", "k".repeat(256)),
                        400, "Idempotency-Key"),
                new BadInput("an Idempotency-Key in the schedules' namespace", api -> api.post("/jobs", valid(),
                        "Idempotency-Key", "schedule:heartbeat:2030-01-01T00:00:00Z"), 400, "Idempotency-Key"),
                new BadInput("a request header of 64 KiB", api -> api.get("/jobs", "X-Padding", "p".repeat(64 * 1024)), 400, null),
                // query parameters
                new BadInput("GET /jobs?status=NOPE", api -> api.get("/jobs?status=NOPE"), 400, "status"),
                new BadInput("GET /jobs?limit=0", api -> api.get("/jobs?limit=0"), 400, "limit"),
                new BadInput("GET /jobs?limit=1001", api -> api.get("/jobs?limit=1001"), 400, "limit"),
                new BadInput("GET /jobs?limit=abc", api -> api.get("/jobs?limit=abc"), 400, "limit"),
                new BadInput("GET /jobs?limit=-5", api -> api.get("/jobs?limit=-5"), 400, "limit"),
                new BadInput("GET /jobs?cursor=garbage", api -> api.get("/jobs?cursor=%21%21garbage%21%21"), 400, "cursor"),
                new BadInput("a cursor of something that is not an id", api -> api.get("/jobs?cursor="
                        + base64Url("v1:not-a-job-id")), 400, "cursor"),
                new BadInput("a cursor of a bare id", api -> api.get("/jobs?cursor=" + base64Url(NO_SUCH_ID)), 400, "cursor"),
                new BadInput("GET /jobs/{id}?waitMs=-1", api -> api.get("/jobs/" + NO_SUCH_ID + "?waitMs=-1"), 400, "waitMs"),
                new BadInput("GET /jobs/{id}?waitMs=30001", api -> api.get("/jobs/" + NO_SUCH_ID + "?waitMs=30001"), 400, "waitMs"),
                new BadInput("GET /jobs/{id}?waitMs=abc", api -> api.get("/jobs/" + NO_SUCH_ID + "?waitMs=abc"), 400, "waitMs"),
                // malformed query strings, on any path, open ones included
                malformedQuery("/jobs?a=%"),
                malformedQuery("/jobs?%zz=1"),
                malformedQuery("/jobs?limit=%G1"),
                malformedQuery("/jobs/" + NO_SUCH_ID + "?waitMs=%"),
                new BadInput("POST /jobs?a=% with a valid body", api -> RawHttp.send(port(api), "POST /jobs?a=% HTTP/1.1\r\n"
                        + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: " + valid().length()
                        + "\r\nConnection: close\r\n\r\n", valid().getBytes(StandardCharsets.UTF_8)), 400, null),
                malformedQuery("/schedules?x=%zz"),
                malformedQuery("/lifecycle?a=%"),
                malformedQuery("/actuator/health?%zz=1"),
                malformedQuery("/no/such/thing?%zz=1"),
                new BadInput("GET /jobs with 2000 parameters", api -> api.get("/jobs?" + IntStream.range(0, 2000)
                        .mapToObj(i -> "p" + i + "=1").collect(Collectors.joining("&"))), 400, null),
                // paths and methods
                new BadInput("an encoded slash in the path", api -> api.get("/jobs/%2F"), 400, null),
                new BadInput("an encoded NUL in the path", api -> api.get("/jobs/a%00b"), 400, null),
                new BadInput("an unknown job", api -> api.get("/jobs/" + NO_SUCH_ID), 404, null),
                new BadInput("an unknown path", api -> api.get("/no/such/thing"), 404, null),
                new BadInput("PUT /jobs", api -> api.send(api.request("/jobs").header("Content-Type", "application/json")
                        .PUT(json(valid())).build()), 405, null),
                new BadInput("DELETE /jobs", api -> api.delete("/jobs"), 405, null),
                new BadInput("POST /jobs/{id}", api -> api.post("/jobs/" + NO_SUCH_ID, valid()), 405, null),
                new BadInput("DELETE of an unknown job", api -> api.delete("/jobs/" + NO_SUCH_ID), 404, null),
                new BadInput("a path in the wrong case", api -> api.get("/JOBS"), 404, null),
                new BadInput("TRACE /jobs", api -> api.send(api.request("/jobs").method("TRACE", BodyPublishers.noBody()).build()),
                        405, null),
                new BadInput("TRACE /jobs/{id}", api -> api.send(api.request("/jobs/" + NO_SUCH_ID)
                        .method("TRACE", BodyPublishers.noBody()).build()), 405, null),
                new BadInput("PUT / (the console)", api -> api.send(api.request("/").header("Content-Type", "application/json")
                        .PUT(json(valid())).build()), 405, null),
                new BadInput("DELETE /lifecycle", api -> api.delete("/lifecycle"), 405, null));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("badInputs")
    void aBadInputIsAnsweredWithItsOwnProblemAndCreatesNoJob(BadInput input) {
        List<String> before = api.jobIds();

        Reply reply = input.exchange().apply(api);

        assertThat(reply.status()).as("never a 5xx: %s", reply).isLessThan(500);
        JsonNode problem = input.field() != null ? assertInvalid(reply, input.field()) : assertProblem(reply, input.status());
        assertSaysNoInternals(problem);
        if (reply.status() == 405) {
            assertThat(reply.header("Allow")).as("Allow of %s (RFC 9110, 15.5.6)", reply).isNotBlank();
        }
        assertThat(api.jobIds()).as("jobs after %s", input.name()).isEqualTo(before);
    }

    @Test
    void theTableHoldsMoreThanAHundredRows() {
        assertThat(badInputs().count()).isGreaterThan(100);
    }

    /** The detail and every error message say what is wrong in the client's terms, never a class or a feature. */
    private static void assertSaysNoInternals(JsonNode problem) {
        List<String> texts = new ArrayList<>();
        texts.add(problem.path("detail").asString());
        problem.path("errors").forEach(error -> texts.add(error.path("message").asString()));
        for (String text : texts) {
            assertThat(text).as("detail of %s", problem).doesNotContain("tools.jackson", "DeserializationFeature",
                    "JsonReadFeature", "JsonToken", "java.", "org.springframework", "org.apache", "static resource",
                    "Source: ");
        }
    }

    private static BadInput invalidBody(String name, String body, String field) {
        return new BadInput(name, api -> api.post("/jobs", body), 400, field);
    }

    /** A GET of {@code target} as written, which an HTTP client would refuse to send. */
    private static BadInput malformedQuery(String target) {
        return new BadInput("GET " + target, api -> RawHttp.send(port(api), "GET " + target + " HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\n\r\n", new byte[0]), 400, null);
    }

    private static BadInput invalidBytes(String name, byte[] body, String field) {
        return new BadInput(name, api -> api.send(post(api, "application/json", BodyPublishers.ofByteArray(body))), 400, field);
    }

    /** A compute job whose input is {@code inputJson} as written inside the quotes. */
    private static String compute(String inputJson) {
        return "{\"type\":\"compute\",\"params\":{\"input\":\"" + inputJson + "\",\"iterations\":1}}";
    }

    /** A compute job whose input is "a", then {@code bytes} as they are, then "b". */
    private static byte[] computeBytes(int... bytes) {
        byte[] head = "{\"type\":\"compute\",\"params\":{\"input\":\"a".getBytes(StandardCharsets.UTF_8);
        return concat(concat(head, bytes), "b\",\"iterations\":1}}".getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] first, int... then) {
        byte[] joined = Arrays.copyOf(first, first.length + then.length);
        for (int i = 0; i < then.length; i++) {
            joined[first.length + i] = (byte) then[i];
        }
        return joined;
    }

    private static byte[] concat(byte[] first, byte[] then) {
        byte[] joined = Arrays.copyOf(first, first.length + then.length);
        System.arraycopy(then, 0, joined, first.length, then.length);
        return joined;
    }

    private static int port(ApiClient api) {
        return api.uri("/").getPort();
    }

    private static String valid() {
        return "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}";
    }

    private static HttpRequest.BodyPublisher json(String text) {
        return BodyPublishers.ofString(text, StandardCharsets.UTF_8);
    }

    private static HttpRequest post(ApiClient api, String contentType, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder builder = api.request("/jobs").POST(body);
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.build();
    }

    private static String base64Url(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
