package dev.quiesce.web;

import java.time.Instant;

import io.swagger.v3.oas.annotations.media.Schema;

import dev.quiesce.lifecycle.InstanceBeat;

/** One instance in {@code GET /instances}: its last heartbeat. */
record InstanceView(String id,
        @Schema(allowableValues = { "STARTING", "RUNNING", "DRAINING", "STOPPED" }) String state,
        Instant startedAt, @Schema(description = "its last heartbeat") Instant lastSeenAt,
        @Schema(description = "jobs it held RUNNING at that heartbeat") long running,
        @Schema(description = "its build version; null when its build carries none", nullable = true) String version) {

    static InstanceView of(InstanceBeat beat) {
        return new InstanceView(beat.id(), beat.state().name(), beat.startedAt(), beat.lastSeenAt(), beat.running(),
                beat.version());
    }
}
