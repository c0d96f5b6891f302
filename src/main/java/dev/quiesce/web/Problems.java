package dev.quiesce.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import dev.quiesce.jobs.RefusalReason;
import dev.quiesce.jobs.types.FieldProblem;
import dev.quiesce.jobs.types.StrictJson;

/**
 * Every error answer is RFC 9457 {@code application/problem+json} with {@code type}, {@code title},
 * {@code status}, {@code detail}, and {@code errors} for validation problems. Built here only.
 */
public final class Problems {

    /** Seconds a client should wait after a 429 (the queue drains continuously). */
    static final String RETRY_AFTER_QUEUE_FULL = "1";
    /** Seconds after a 503: this instance is stopping; another one (or its restart) should answer by then. */
    static final String RETRY_AFTER_STOPPING = "2";

    private Problems() {
    }

    static ProblemDetail detail(HttpStatusCode status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("https://quiesce.dev/problems/" + slug(title)));
        return problem;
    }

    static ResponseEntity<ProblemDetail> response(HttpStatusCode status, String title, String detail) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(detail(status, title, detail));
    }

    static ResponseEntity<ProblemDetail> invalid(List<FieldProblem> problems) {
        ProblemDetail problem = detail(HttpStatus.BAD_REQUEST, "Invalid request",
                problems.size() == 1 ? problems.get(0).field() + ": " + problems.get(0).message()
                        : problems.size() + " invalid fields");
        problem.setProperty("errors", problems.stream()
                .map(p -> Map.of("field", p.field(), "message", p.message())).toList());
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    static ResponseEntity<ProblemDetail> refused(RefusalReason reason) {
        if (reason == RefusalReason.QUEUE_FULL) {
            return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_QUEUE_FULL)
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(detail(HttpStatus.TOO_MANY_REQUESTS, "Queue full",
                            "the job queue is at capacity; retry later"));
        }
        return stopping("this instance is stopping and accepts no new jobs; retry on another instance");
    }

    /** 503 while the store does not answer: this instance stays up, so the connection may stay open. */
    static ResponseEntity<ProblemDetail> storeUnavailable(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_STOPPING)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(detail(HttpStatus.SERVICE_UNAVAILABLE, "Store unavailable", detail));
    }

    static ResponseEntity<ProblemDetail> stopping(String detail) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_STOPPING)
                .header(HttpHeaders.CONNECTION, "close")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(detail(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail));
    }

    /** Writes a problem straight to a servlet response (filters, the error page). */
    public static void write(HttpServletResponse response, int status, String title, String detail)
            throws IOException {
        ProblemDetail problem = detail(HttpStatusCode.valueOf(status), title, detail);
        // the members themselves: the plain mapper would add "instance": null and "properties": null
        Map<String, Object> members = new LinkedHashMap<>();
        members.put("type", problem.getType().toString());
        members.put("title", problem.getTitle());
        members.put("status", problem.getStatus());
        members.put("detail", problem.getDetail());
        byte[] body = StrictJson.MAPPER.writeValueAsBytes(members);
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    /** Input echoed in an error, made safe: printable ASCII only, and short. */
    static String printable(String text) {
        if (text == null) {
            return "";
        }
        String safe = text.replaceAll("[^\\x20-\\x7e]", "?");
        return safe.length() <= 100 ? safe : safe.substring(0, 100) + "...";
    }

    /** A Java or Jackson name ({@code tools.jackson.databind.JsonNode}, {@code DeserializationFeature.X}). */
    private static final Pattern INTERNAL_NAME = Pattern.compile(
            "\\b(?:java|javax|jakarta|org|com|tools|dev)\\.[a-z]|\\b[A-Z][A-Za-z]+(?:Feature|Exception|Error)\\b"
                    + "|\\b[A-Z][A-Za-z]+\\.[A-Z_]{2,}\\b");

    /** Whether a text names a class, package or feature: such a detail says nothing to a client. */
    static boolean namesInternals(String text) {
        return INTERNAL_NAME.matcher(text).find();
    }

    private static String slug(String title) {
        return title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }
}
