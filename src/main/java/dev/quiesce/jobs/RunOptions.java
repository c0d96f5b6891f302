package dev.quiesce.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * How a job runs, as its submission asked: not before {@code runAt} (null: at once); among due jobs by
 * {@code priority} (higher first), then by age; cancelled as a failure past {@code timeout} (null: its type's
 * default, else none); tried again after a failed run, up to {@code retries} times.
 */
public record RunOptions(Instant runAt, int priority, Duration timeout, int retries) {

    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 9;
    public static final int DEFAULT_PRIORITY = 5;
    public static final int MAX_RETRIES = 25;

    /** Due at once, default priority, no timeout of its own, no retries: what a submission without options asks. */
    public static final RunOptions NOW = new RunOptions(null, DEFAULT_PRIORITY, null, 0);

    public RunOptions {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be from " + MIN_PRIORITY + " to " + MAX_PRIORITY);
        }
        if (retries < 0 || retries > MAX_RETRIES) {
            throw new IllegalArgumentException("retries must be from 0 to " + MAX_RETRIES);
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("a timeout must be positive");
        }
    }

    /** These options, sharing {@link #NOW} for the common case (most jobs, read by the thousand). */
    public static RunOptions of(Instant runAt, int priority, Duration timeout, int retries) {
        return runAt == null && priority == DEFAULT_PRIORITY && timeout == null && retries == 0 ? NOW
                : new RunOptions(runAt, priority, timeout, retries);
    }

    /** Due at {@code runAt} with {@code priority}, and no timeout or retries of its own. */
    public static RunOptions of(Instant runAt, int priority) {
        return of(runAt, priority, null, 0);
    }

    /** Whether a job with these options may run at {@code now}. */
    public boolean dueAt(Instant now) {
        return runAt == null || !runAt.isAfter(now);
    }

    /** These options, due at {@code at} (a retry's time). */
    public RunOptions at(Instant at) {
        return new RunOptions(at, priority, timeout, retries);
    }
}
