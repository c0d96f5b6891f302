package dev.quiesce.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A point in time on an injected clock; participants of a stop ask it what is left. Immutable. */
public final class Deadline {

    /**
     * The least a call at the end of a stop may wait, even once the deadline has passed: jobs put back and the
     * report need one quick call each, and the process's last resort comes later than this.
     */
    public static final Duration LAST_CALL_FLOOR = Duration.ofMillis(100);

    private final Clock clock;
    private final Instant at;

    public Deadline(Clock clock, Instant at) {
        this.clock = clock;
        this.at = at;
    }

    public static Deadline after(Clock clock, Duration budget) {
        return new Deadline(clock, clock.instant().plus(budget));
    }

    public Instant at() {
        return at;
    }

    /** Time left, never negative. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), at);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** Time left for a call the stop cannot skip: what is left, but at least {@link #LAST_CALL_FLOOR}. */
    public Duration remainingForLastCall() {
        Duration left = remaining();
        return left.compareTo(LAST_CALL_FLOOR) < 0 ? LAST_CALL_FLOOR : left;
    }

    public boolean isExpired() {
        return !clock.instant().isBefore(at);
    }

    /** A deadline {@code reserve} earlier (for work that must still happen after this one). */
    public Deadline minus(Duration reserve) {
        return new Deadline(clock, at.minus(reserve));
    }

    @Override
    public String toString() {
        return "Deadline[" + at + ", " + remaining().toMillis() + "ms left]";
    }
}
