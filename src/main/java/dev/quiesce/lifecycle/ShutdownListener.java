package dev.quiesce.lifecycle;

import java.time.Duration;

/** Told about every change of the lifecycle (metrics, live views). Called on the stopping thread: be quick. */
public interface ShutdownListener {

    default void changed(LifecycleStatus status) {
    }

    default void phaseEnded(StopPhase phase, PhaseState state, Duration took) {
    }

    /** The stop is over (or its last resort ends the process): how it went. Called once. */
    default void finished(ShutdownReport report) {
    }
}
