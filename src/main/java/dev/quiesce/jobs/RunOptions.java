package dev.quiesce.jobs;

import java.time.Instant;

/**
 * When and how urgently a job runs, as its submission asked: not before {@code runAt} (null: at once), and
 * among due jobs by {@code priority} (higher first), then by age.
 */
public record RunOptions(Instant runAt, int priority) {

    public static final int MIN_PRIORITY = 1;
    public static final int MAX_PRIORITY = 9;
    public static final int DEFAULT_PRIORITY = 5;

    /** Due at once, default priority: what a submission without options asks. */
    public static final RunOptions NOW = new RunOptions(null, DEFAULT_PRIORITY);

    public RunOptions {
        if (priority < MIN_PRIORITY || priority > MAX_PRIORITY) {
            throw new IllegalArgumentException("priority must be from " + MIN_PRIORITY + " to " + MAX_PRIORITY);
        }
    }

    /** These options, sharing {@link #NOW} for the common case (most jobs, read by the thousand). */
    public static RunOptions of(Instant runAt, int priority) {
        return runAt == null && priority == DEFAULT_PRIORITY ? NOW : new RunOptions(runAt, priority);
    }

    /** Whether a job with these options may run at {@code now}. */
    public boolean dueAt(Instant now) {
        return runAt == null || !runAt.isAfter(now);
    }
}
