package dev.quiesce.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * How a stop went, kept in the store and shown as {@code lastShutdown}. {@code clean} is true exactly when the
 * exit status was 0. {@code drained}: jobs that finished during the stop; {@code requeued}: running jobs cut
 * off and stored back as QUEUED; {@code leftQueued}: queued jobs left in the store on purpose.
 */
public record ShutdownReport(String instance, boolean clean, int exitStatus, Instant startedAt, long durationMs,
        long drained, long requeued, long leftQueued, List<PhaseStatus> phases) {

    public ShutdownReport {
        phases = phases == null ? List.of() : List.copyOf(phases);
    }
}
