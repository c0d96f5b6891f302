package dev.quiesce.lifecycle;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Keeps the fleet's heartbeats, one per instance id (implemented by the store). Every method waits on the store,
 * at most the bound it is given, and throws the store's unavailable exception when the store does not answer.
 */
public interface InstanceStore {

    /** Writes {@code beat} as its instance's row, replacing the one before; waits at most {@code wait}. */
    void beat(InstanceBeat beat, Duration wait);

    /** The instances whose last heartbeat is at or after {@code since}, by id; waits at most {@code wait}. */
    List<InstanceBeat> seenSince(Instant since, Duration wait);

    /** Deletes the rows of instances silent since before {@code before}; waits at most {@code wait}. */
    int forgetSilentBefore(Instant before, Duration wait);
}
