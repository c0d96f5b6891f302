package dev.quiesce.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * An immutable snapshot of the lifecycle, published through a volatile field: readers never lock.
 * {@code drainStartedAt} and {@code deadline} are null until a stop begins.
 */
public record LifecycleStatus(LifecycleState state, Instant drainStartedAt, Instant deadline,
        List<PhaseStatus> phases) {

    public LifecycleStatus {
        phases = List.copyOf(phases);
    }
}
