package dev.quiesce.lifecycle;

import java.time.Instant;

/**
 * One instance's heartbeat as the store keeps it: its lifecycle state, when it started, when it last beat, the
 * jobs it held RUNNING then, and its build version ({@code null} when the build carries none). Immutable.
 */
public record InstanceBeat(String id, LifecycleState state, Instant startedAt, Instant lastSeenAt, long running,
        String version) {
}
