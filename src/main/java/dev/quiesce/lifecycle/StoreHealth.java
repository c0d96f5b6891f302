package dev.quiesce.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this instance knows of its store, learnt from the answers its own calls get: {@code UP}, or
 * {@code DOWN} since a time. Readers (the lifecycle view, readiness, metrics) read a snapshot and never wait on
 * the store.
 *
 * <p>Any call that got no answer in time, or failed for a reason of the store's own, makes it DOWN at once.
 * It is UP again after a call is answered with no fault seen for {@code settle}: a store that answers the
 * probe's reads but refuses writes (a full disk) keeps going DOWN with every refused write instead of flapping
 * between two calls.
 *
 * <p>Threads: {@link #answered()} is on every store call's path and costs one volatile read while UP;
 * transitions are serialised by this object's lock.
 */
public final class StoreHealth {

    private static final Logger log = LoggerFactory.getLogger(StoreHealth.class);

    public enum State {
        UP,
        DOWN
    }

    /** The store's state, since when, and (while DOWN) the first fault that made it so. */
    public record Condition(State state, Instant since, String reason) {
    }

    private final Clock clock;
    private final Duration settle;
    private volatile Condition condition;
    private Instant lastFault = Instant.MIN;

    public StoreHealth(Clock clock, Duration settle) {
        this.clock = clock;
        this.settle = settle;
        this.condition = new Condition(State.UP, clock.instant(), null);
    }

    public Condition condition() {
        return condition;
    }

    public boolean isUp() {
        return condition.state() == State.UP;
    }

    /** A store call got no answer in time, or the store refused it for a reason of its own. */
    public void fault(String reason) {
        Condition was;
        synchronized (this) {
            lastFault = clock.instant();
            was = condition;
            if (was.state() == State.DOWN) {
                return;
            }
            condition = new Condition(State.DOWN, lastFault, reason);
        }
        log.warn("Store down: {}", reason);
    }

    /** A store call was answered. */
    public void answered() {
        if (condition.state() == State.UP) {
            return;
        }
        Condition was;
        Instant now;
        synchronized (this) {
            was = condition;
            now = clock.instant();
            if (was.state() == State.UP || Duration.between(lastFault, now).compareTo(settle) < 0) {
                return;
            }
            condition = new Condition(State.UP, now, null);
        }
        log.info("Store up again after {} down", ShutdownCoordinator.format(Duration.between(was.since(), now)));
    }
}
