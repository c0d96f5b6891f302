package dev.quiesce.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The operator's actions on jobs as the OpenAPI document describes them; the code is in
 * {@link JobActionsController}.
 */
interface JobActionsApi {

    @Operation(summary = "Retry a failed or cancelled job", description = "The job goes back to QUEUED, due at "
            + "once: attempts and failures kept, a fresh set of retries (and of poison-guard starts), no finishedAt or "
            + "result; error keeps the last failure until the next run ends.")
    @ApiResponse(responseCode = "202", description = "queued again",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "404", description = "no such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "not FAILED or CANCELLED", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> retry(String id);

    @Operation(summary = "Retry every job that matches", description = "As a retry of each, in batches; bounded "
            + "in time whatever their number (quiesce.store.timeout): complete is false if the bound ran out first, "
            + "and a second call carries on.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BulkResult.class)))
    @ApiResponse(responseCode = "400", description = "missing or bad status, bad type", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            schema = @Schema(implementation = ProblemDetail.class)))
    BulkResult retryAll(
            @Parameter(required = true, schema = @Schema(allowableValues = { "FAILED", "CANCELLED" })) String status,
            @Parameter(description = "only jobs of this type") String type);

    @Operation(summary = "Cancel every job that matches", description = "SCHEDULED and QUEUED jobs are CANCELLED "
            + "at once; RUNNING ones are asked to stop, as DELETE /jobs/{id} does. In batches, bounded in time as the "
            + "bulk retry.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = BulkResult.class)))
    @ApiResponse(responseCode = "400", description = "missing or bad status, bad type", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
            schema = @Schema(implementation = ProblemDetail.class)))
    BulkResult cancelAll(
            @Parameter(required = true, schema = @Schema(allowableValues = { "SCHEDULED", "QUEUED", "RUNNING" }))
            String status,
            @Parameter(description = "only jobs of this type") String type);
}
