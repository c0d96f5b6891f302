package dev.quiesce.web;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.quiesce.requests.JobActions;

/** The answer to a bulk retry or cancel. */
record BulkResult(
        @Schema(description = "jobs that matched the filter") long matched,
        @Schema(description = "jobs changed (fewer than matched when some moved on meanwhile)") long changed,
        @Schema(description = "false when the request's time bound ran out first: call again to carry on")
        boolean complete) {

    static BulkResult of(JobActions.BulkResult result) {
        return new BulkResult(result.matched(), result.changed(), result.complete());
    }
}
