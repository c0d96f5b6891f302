package dev.quiesce.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.quiesce.jobs.RunOptions;
import dev.quiesce.jobs.SubmitOptions;
import dev.quiesce.jobs.types.FieldProblem;
import dev.quiesce.jobs.types.InvalidJobException;
import tools.jackson.databind.JsonNode;

/**
 * Reads the run options of a {@code POST /jobs} body beside {@code type} and {@code params}, strictly: each a
 * JSON number in its range (or, for {@code runAt}, an ISO-8601 time), null as if absent, and at most one of
 * {@code runAt} and {@code delayMs}. Every problem is reported at once, each naming its field.
 */
final class SubmitOptionsReader {

    /** The fields of a submission that are run options. */
    static final Set<String> FIELDS = Set.of("runAt", "delayMs", "priority", "timeoutMs", "retries");

    private final List<FieldProblem> problems = new ArrayList<>();

    private SubmitOptionsReader() {
    }

    /** The options {@code body} asks for; {@link SubmitOptions#NONE} when it asks none. */
    static SubmitOptions read(JsonNode body) {
        if (FIELDS.stream().noneMatch(field -> given(body, field))) {
            return SubmitOptions.NONE;
        }
        SubmitOptionsReader reader = new SubmitOptionsReader();
        Instant runAt = reader.instant(body, "runAt");
        Long delayMs = reader.number(body, "delayMs", 0, SubmitOptions.MAX_DELAY_MS);
        Long priority = reader.number(body, "priority", RunOptions.MIN_PRIORITY, RunOptions.MAX_PRIORITY);
        Long timeoutMs = reader.number(body, "timeoutMs", 1, SubmitOptions.MAX_TIMEOUT_MS);
        Long retries = reader.number(body, "retries", 0, RunOptions.MAX_RETRIES);
        if (given(body, "runAt") && given(body, "delayMs")) {
            reader.problems.add(new FieldProblem("delayMs", "give at most one of runAt and delayMs"));
        }
        if (!reader.problems.isEmpty()) {
            throw new InvalidJobException(reader.problems);
        }
        return new SubmitOptions(runAt, delayMs, priority == null ? null : priority.intValue(), timeoutMs,
                retries == null ? null : retries.intValue());
    }

    private static boolean given(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    private Instant instant(JsonNode body, String field) {
        if (!given(body, field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value.isString()) {
            try {
                return Instant.parse(value.asString());
            } catch (DateTimeParseException e) {
                // reported below
            }
        }
        problems.add(new FieldProblem(field, "must be an ISO-8601 UTC time such as 2026-12-06T08:00:00Z"));
        return null;
    }

    private Long number(JsonNode body, String field, long min, long max) {
        if (!given(body, field)) {
            return null;
        }
        JsonNode value = body.get(field);
        if (value.isIntegralNumber() && value.canConvertToLong() && value.asLong() >= min && value.asLong() <= max) {
            return value.asLong();
        }
        problems.add(new FieldProblem(field, "must be an integer from " + min + " to " + max));
        return null;
    }
}
