package dev.quiesce.lifecycle;

import java.time.Instant;
import java.util.Map;

/** One phase of a stop as {@code /lifecycle} shows it. Immutable. */
public record PhaseStatus(String name, PhaseState state, Instant startedAt, Instant finishedAt, Long durationMs,
        Map<String, Long> counts) {

    public PhaseStatus {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }

    static PhaseStatus pending(StopPhase phase) {
        return new PhaseStatus(phase.label(), PhaseState.PENDING, null, null, null, Map.of());
    }
}
