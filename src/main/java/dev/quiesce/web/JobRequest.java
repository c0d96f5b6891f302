package dev.quiesce.web;

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
        @Schema(description = "the type's params", example = "{\"durationMs\": 500}") Map<String, Object> params) {
}
