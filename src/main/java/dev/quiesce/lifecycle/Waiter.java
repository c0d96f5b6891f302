package dev.quiesce.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Waits until a time on a clock or until {@link #wake woken}, whichever comes first: the one way our loops wait
 * between rounds (the scheduler, the outcome flusher, the lease keeper), so that a stop ends the wait at once
 * instead of after a sleep. After db-scheduler's {@code Waiter}.
 *
 * <p>Contract:
 * <ul>
 * <li>a {@link #wake} while nobody waits is kept: the next wait returns {@link Outcome#WOKEN} at once (several
 * such wakes count as one), so a stop asked between two waits is not lost;</li>
 * <li>the due time is measured on the clock given, looked at again at least every {@link #LOOK_AGAIN_EVERY}, so a
 * clock that jumps (a test's, or a system clock stepped) is noticed;</li>
 * <li>an interrupt ends the wait with {@link Outcome#INTERRUPTED} and the thread's interrupt flag set again.</li>
 * </ul>
 *
 * <p>Threads: one thread waits on a waiter; any thread may wake it.
 */
public final class Waiter {

    /** The longest a wait sleeps without looking at the clock again. */
    static final Duration LOOK_AGAIN_EVERY = Duration.ofSeconds(1);

    /** How a wait ended. */
    public enum Outcome {
        /** The clock reached the due time. */
        DUE,
        /** {@link #wake} was called, during the wait or before it. */
        WOKEN,
        /** The waiting thread was interrupted; its interrupt flag is set. */
        INTERRUPTED
    }

    private final Clock clock;
    private final Duration lookAgainEvery;
    /** Held only to read or set the pending wake; a wait releases it while it sleeps. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition woken = lock.newCondition();
    /** A wake not yet seen by a wait (under {@link #lock}). */
    private boolean wakePending;

    /** A waiter that tells due times by {@code clock}. */
    public Waiter(Clock clock) {
        this(clock, LOOK_AGAIN_EVERY);
    }

    /** As {@link #Waiter(Clock)}, looking at the clock again every {@code lookAgainEvery} (tests use less). */
    Waiter(Clock clock, Duration lookAgainEvery) {
        if (lookAgainEvery.isNegative() || lookAgainEvery.isZero()) {
            throw new IllegalArgumentException("lookAgainEvery must be positive, not " + lookAgainEvery);
        }
        this.clock = clock;
        this.lookAgainEvery = lookAgainEvery;
    }

    /** Waits for {@code wait} on the clock, or until woken. */
    public Outcome await(Duration wait) {
        return awaitUntil(clock.instant().plus(wait));
    }

    /** Waits until the clock reaches {@code due}, or until woken; a pending wake wins over a due time passed. */
    public Outcome awaitUntil(Instant due) {
        lock.lock();
        try {
            while (!wakePending) {
                Duration left = Duration.between(clock.instant(), due);
                if (left.isNegative() || left.isZero()) {
                    return Outcome.DUE;
                }
                Duration slice = left.compareTo(lookAgainEvery) < 0 ? left : lookAgainEvery;
                woken.await(slice.toNanos(), TimeUnit.NANOSECONDS);
            }
            wakePending = false;
            return Outcome.WOKEN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.INTERRUPTED;
        } finally {
            lock.unlock();
        }
    }

    /** Ends the wait under way, or else the next one, at once. */
    public void wake() {
        lock.lock();
        try {
            wakePending = true;
            woken.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
