package dev.quiesce.lifecycle;

import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /lifecycle} and {@code /actuator/lifecycle}, as the contract spells it. {@code forecast}
 * is what a stop begun now would do; once a stop has begun, what it was forecast to do when it began.
 */
public record LifecycleView(String state, String instance, long budgetMs, Instant drainStartedAt, Instant deadline,
        Long remainingMs, Counts jobs, List<PhaseStatus> phases, LastShutdown lastShutdown, StopForecast forecast,
        Store store) {

    /** {@code queued} as the store last counted it, at {@code queuedAsOf}; {@code running} on this instance. */
    public record Counts(long queued, long running, Instant queuedAsOf) {
    }

    /** The store as this instance last found it: {@code UP} or {@code DOWN}, since when. */
    public record Store(StoreHealth.State state, Instant since) {
    }

    public record LastShutdown(boolean clean, int exitStatus, Instant startedAt, long durationMs, long drained,
            long requeued, long leftQueued, List<PhaseStatus> phases) {

        static LastShutdown of(ShutdownReport report) {
            return new LastShutdown(report.clean(), report.exitStatus(), report.startedAt(), report.durationMs(),
                    report.drained(), report.requeued(), report.leftQueued(), report.phases());
        }
    }
}
