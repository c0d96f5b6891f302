package dev.quiesce.web;

import java.util.List;
import java.util.Map;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import dev.quiesce.scheduler.ScheduleStatus;

/**
 * The schedules as the OpenAPI document describes them: springdoc reads these annotations from the interface, so
 * {@link ScheduleController} holds only the code.
 */
interface ScheduleApi {

    @Operation(summary = "List the schedules", description = "From memory, never waiting on the store. paused is "
            + "fleet-wide: a pause made on another instance shows here within 5 s, one made here at once.")
    Map<String, List<ScheduleStatus>> schedules();

    @Operation(summary = "Pause a schedule", description = "Fleet-wide and kept across restarts: every instance skips "
            + "its firings from its next tick (at most 5 s); skipped firings are not made up. Idempotent.")
    @ApiResponse(responseCode = "200", description = "paused",
            content = @Content(schema = @Schema(implementation = ScheduleStatus.class)))
    @ApiResponse(responseCode = "404", description = "no such schedule", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "the store did not answer: retry", headers = @Header(
            name = "Retry-After", description = "seconds"), content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> pause(@Parameter(description = "the schedule's configured name") String name);

    @Operation(summary = "Resume a schedule", description = "Fleet-wide: its next firing is the next one due. "
            + "Idempotent.")
    @ApiResponse(responseCode = "200", description = "resumed",
            content = @Content(schema = @Schema(implementation = ScheduleStatus.class)))
    @ApiResponse(responseCode = "404", description = "no such schedule", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "the store did not answer: retry", headers = @Header(
            name = "Retry-After", description = "seconds"), content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> resume(@Parameter(description = "the schedule's configured name") String name);

    @Operation(summary = "Trigger a schedule now", description = "Submits one job of the schedule through the same "
            + "path as a firing, paused or not, with the Idempotency-Key schedule:<name>:manual:<time, ISO-8601 UTC "
            + "with milliseconds>. Refused as POST /jobs is while stopping or when the queue is full.")
    @ApiResponse(responseCode = "202", description = "stored", headers = @Header(name = "Location",
            description = "/jobs/{id}"), content = @Content(schema = @Schema(implementation = JobView.class)))
    @ApiResponse(responseCode = "404", description = "no such schedule", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "429", description = "queue full", headers = @Header(name = "Retry-After",
            description = "seconds"), content = @Content(mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    @ApiResponse(responseCode = "503", description = "draining or stopping, or the store did not answer: retry",
            headers = @Header(name = "Retry-After", description = "seconds"), content = @Content(
                    mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    schema = @Schema(implementation = ProblemDetail.class)))
    ResponseEntity<?> trigger(@Parameter(description = "the schedule's configured name") String name);
}
