package dev.quiesce.lifecycle;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a phase reports when it ends. {@code cutOffWork} is true when it stopped running work before it ended
 * (an unclean stop even if the phase itself kept to its time).
 */
public record PhaseResult(PhaseState state, Map<String, Long> counts, boolean cutOffWork) {

    public PhaseResult {
        if (!state.isEnded()) {
            throw new IllegalArgumentException("a phase result must be DONE or TIMED_OUT, not " + state);
        }
        counts = counts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static PhaseResult done() {
        return new PhaseResult(PhaseState.DONE, Map.of(), false);
    }

    public static PhaseResult done(Map<String, Long> counts) {
        return new PhaseResult(PhaseState.DONE, counts, false);
    }

    public static PhaseResult timedOut(Map<String, Long> counts) {
        return new PhaseResult(PhaseState.TIMED_OUT, counts, true);
    }
}
