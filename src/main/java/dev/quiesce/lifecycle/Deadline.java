package dev.quiesce.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A point in time on an injected clock; participants of a stop ask it what is left. Immutable. */
public final class Deadline {

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

    public boolean isExpired() {
        return !clock.instant().isBefore(at);
    }

    /** A deadline {@code reserve} earlier (for work that must still happen after this one). */
    public Deadline minus(Duration reserve) {
        return new Deadline(clock, at.minus(reserve));
    }

    public Clock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "Deadline[" + at + ", " + remaining().toMillis() + "ms left]";
    }
}
