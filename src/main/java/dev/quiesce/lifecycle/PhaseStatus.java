package dev.quiesce.lifecycle;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;

/**
 * One phase of a stop as {@code /lifecycle} shows it; its counts (e.g. {@code finished}, {@code requeued})
 * appear as fields of the phase. Immutable.
 */
public record PhaseStatus(String name, PhaseState state, Instant startedAt, Instant finishedAt, Long durationMs,
        @JsonAnyGetter @JsonAnySetter Map<String, Long> counts) {

    public PhaseStatus {
        counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    static PhaseStatus pending(StopPhase phase) {
        return new PhaseStatus(phase.label(), PhaseState.PENDING, null, null, null, Map.of());
    }
}
