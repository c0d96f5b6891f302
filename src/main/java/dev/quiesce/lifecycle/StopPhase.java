package dev.quiesce.lifecycle;

import java.util.Locale;

/**
 * The stages of a stop, in the order they run (see {@link ShutdownPhases} for how Spring is told this order).
 */
public enum StopPhase {
    /** Readiness goes out of service, intake answers 503, the optional pre-stop delay. */
    INTAKE,
    /** No new scheduled work; a tick in progress completes. */
    SCHEDULER,
    /** The pool drains (or leaves queued work queued); at the deadline running jobs are cut off and requeued. */
    JOBS,
    /** Buffered job outcomes are written. */
    PROCESSOR,
    /** The web server refuses new connections and lets in-flight requests finish. */
    WEB,
    /**
     * The stop ends: the shutdown report is made, then stored, and the store closes. The report is made as this
     * phase begins, so what follows (keeping it, closing the store) is not in it.
     */
    STORE;

    /** The name used in {@code /lifecycle}, logs and metric tags. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
