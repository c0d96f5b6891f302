package dev.quiesce.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

/** {@code GET /instances} as its OpenAPI document describes it; {@link InstanceController} holds the code. */
interface InstanceApi {

    @Operation(summary = "List the instances sharing the store", description = "Every instance whose last "
            + "heartbeat is at most three leases (quiesce.jobs.lease) old, by id, each with that heartbeat. "
            + "Answered from this instance's copy, refreshed on its beat (a third of the lease): it never waits "
            + "on the store. With SQLite, the one instance.")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = InstanceList.class)))
    InstanceList instances();
}
