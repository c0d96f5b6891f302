package dev.quiesce.pool;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * How long a failed run waits before the job is tried again: {@code initial} doubled for each failure before
 * it, at most {@code max}, then varied by a random jitter of at most ±{@link #JITTER} so that jobs that failed
 * together do not all come back together.
 */
final class RetryBackoff {

    static final double JITTER = 0.2;

    private final Duration initial;
    private final Duration max;
    private final DoubleSupplier random;

    /** {@code random} answers in [0, 1): {@code Math::random} in production, a fixed value in tests. */
    RetryBackoff(Duration initial, Duration max, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait after a job's failed run, {@code failuresBefore} failed runs having come before it. */
    Duration after(int failuresBefore) {
        double doubled = initial.toMillis() * Math.pow(2, Math.min(failuresBefore, 62));
        double capped = Math.min(doubled, max.toMillis());
        double varied = capped * (1 + JITTER * (2 * random.getAsDouble() - 1));
        return Duration.ofMillis(Math.max(1, Math.round(varied)));
    }
}
