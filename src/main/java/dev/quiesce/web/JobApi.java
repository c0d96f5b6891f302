package dev.quiesce.web;

import java.io.IOException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * The job API as its OpenAPI document describes it: springdoc reads these annotations from the interface, so
 * {@link JobController} holds only the code.
 */
interface JobApi {

    @Operation(summary = "Submit a job", description = "Answers after the job is stored. With an Idempotency-Key, "
            + "a repeat with the same body returns the same job and creates nothing.")
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = JobRequest.class)))
    @ApiResponse(responseCode = "202", description = "stored", headers = @Header(name = "Location",
            description = "/jobs/{id}"), content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "200", description = "an idempotent repeat: the job the key made",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "400", description = "invalid JSON, unknown type, missing or out-of-range param",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "413", description = "body over 64 KiB", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "415", description = "not application/json", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "422", description = "the Idempotency-Key was used with another body",
            content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "queue full", headers = @Header(name = "Retry-After",
            description = "seconds"), content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "draining or stopping: retry on another instance", headers = {
            @Header(name = "Retry-After", description = "seconds"), @Header(name = "Connection",
                    description = "close") }, content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                            schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> submit(@Parameter(hidden = true) HttpServletRequest request,
            @Parameter(description = "makes retries safe: the same key and body return the same job")
            String idempotencyKey) throws IOException;

    @Operation(summary = "Read a job", description = "With waitMs (at most 30000), a long poll: answers when the job "
            + "is finished or the time has passed.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "400", description = "bad waitMs", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "404", description = "no such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    Object get(String id, @Parameter(schema = @Schema(type = "integer", minimum = "0", maximum = "30000"))
            String waitMs);

    @Operation(summary = "List jobs, newest first", description = "Keyset paging: pass the answer's next as cursor.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = JobPage.class)))
    @ApiResponse(responseCode = "400", description = "bad status, type, limit or cursor", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    JobPage list(
            @Parameter(schema = @Schema(allowableValues = { "SCHEDULED", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED",
                    "CANCELLED" })) String status,
            @Parameter(description = "only jobs of this type") String type,
            @Parameter(schema = @Schema(type = "integer", minimum = "1", maximum = "1000", defaultValue = "100"))
            String limit,
            @Parameter(description = "the next of the previous page") String cursor);

    @Operation(summary = "Cancel a job", description = "A SCHEDULED or QUEUED job is CANCELLED at once, a RUNNING one as soon as "
            + "it notices.")
    @ApiResponse(responseCode = "202", description = "cancellation requested",
            content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "404", description = "no such job", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "409", description = "already finished", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> cancel(String id);
}
