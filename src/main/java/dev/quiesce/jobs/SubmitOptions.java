package dev.quiesce.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.StringJoiner;

/**
 * The run options a submission asked for, as it asked them (null where not given): {@code runAt} or
 * {@code delayMs} (at most one), {@code priority}, {@code timeoutMs}, {@code retries}. Resolved against the
 * time of submission into the job's {@link RunOptions}. Its {@link #canonical} text is part of the idempotency
 * hash: a repeat with the same key must ask the same (the same {@code delayMs}, not the same resolved time).
 */
public record SubmitOptions(Instant runAt, Long delayMs, Integer priority, Long timeoutMs, Integer retries) {

    public static final long MAX_DELAY_MS = 31_536_000_000L;
    public static final long MAX_TIMEOUT_MS = 86_400_000L;

    /** A submission that asked for none: the job runs at once, with the defaults. */
    public static final SubmitOptions NONE = new SubmitOptions(null, null, null, null, null);

    /** The job's run options, submitted at {@code now}. */
    public RunOptions resolve(Instant now) {
        Instant at = runAt != null ? runAt : delayMs != null && delayMs > 0 ? now.plusMillis(delayMs) : null;
        return RunOptions.of(at, priority == null ? RunOptions.DEFAULT_PRIORITY : priority,
                timeoutMs == null ? null : Duration.ofMillis(timeoutMs), retries == null ? 0 : retries);
    }

    /**
     * The options as asked, in one fixed order; empty for {@link #NONE}, so that the hash of a submission
     * without options is the one stored before options existed.
     */
    public String canonical() {
        StringJoiner text = new StringJoiner(";");
        add(text, "runAt", runAt);
        add(text, "delayMs", delayMs);
        add(text, "priority", priority);
        add(text, "timeoutMs", timeoutMs);
        add(text, "retries", retries);
        return text.toString();
    }

    private static void add(StringJoiner text, String name, Object value) {
        if (value != null) {
            text.add(name + "=" + value);
        }
    }
}
