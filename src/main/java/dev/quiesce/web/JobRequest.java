package dev.quiesce.web;

import java.time.Instant;
import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;

/**
 * The body of {@code POST /jobs}, for the API description only: the controller reads the body itself
 * (bounded, strict) rather than through this type.
 */
@Schema(name = "JobRequest", description = "A job: its type and that type's params")
record JobRequest(
        @Schema(description = "sleep, compute, fail, fanout, or a type added as a bean", example = "sleep",
                requiredMode = Schema.RequiredMode.REQUIRED) String type,
        @Schema(description = "the type's params", example = "{\"durationMs\": 500}") Map<String, Object> params,
        @Schema(description = "not before this time (ISO-8601 UTC); at most one of runAt and delayMs",
                example = "2026-12-06T08:00:00Z") Instant runAt,
        @Schema(description = "not before this many ms from now", minimum = "0", maximum = "31536000000") Long delayMs,
        @Schema(description = "among due jobs, higher runs first; equal priority runs oldest first", minimum = "1",
                maximum = "9", defaultValue = "5") Integer priority,
        @Schema(description = "a run longer than this is cancelled with the reason \"timeout\" and counts as a "
                + "failure (default: the type's, else none)", minimum = "1", maximum = "86400000") Long timeoutMs,
        @Schema(description = "how many times a failed run is tried again, after an exponential backoff",
                minimum = "0", maximum = "25", defaultValue = "0") Integer retries) {
}
