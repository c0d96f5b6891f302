package dev.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiesce.lifecycle.Waiter.Outcome;
import dev.quiesce.testing.MutableClock;

/** The one way our loops wait: until a time on a clock the test moves, or until woken. */
@Timeout(10)
class WaiterTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Waiter waiter = new Waiter(clock, Duration.ofMillis(10));

    /** How a wait on another thread ended, and whether that thread's interrupt flag was set after it. */
    private record Ended(Outcome outcome, boolean interruptFlag) {
    }

    /** Starts a wait until {@code due} on a thread of its own and returns once that thread is waiting. */
    private Waiting waitOnAnotherThread(Instant due) {
        CompletableFuture<Ended> ended = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            Outcome outcome = waiter.awaitUntil(due);
            ended.complete(new Ended(outcome, Thread.currentThread().isInterrupted()));
        }, "waiter-test");
        thread.setDaemon(true);
        thread.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        return new Waiting(thread, ended);
    }

    private record Waiting(Thread thread, CompletableFuture<Ended> ended) {
        Ended get() throws Exception {
            return ended.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWakeEndsAWaitUnderWayAtOnce() throws Exception {
        Waiting waiting = waitOnAnotherThread(clock.instant().plus(Duration.ofHours(1)));

        waiter.wake();

        assertThat(waiting.get()).isEqualTo(new Ended(Outcome.WOKEN, false));
    }

    @Test
    void aWaitEndsWhenTheClockReachesTheDueTimeEvenIfTheClockJumps() throws Exception {
        Waiting waiting = waitOnAnotherThread(clock.instant().plus(Duration.ofHours(1)));
        clock.advance(Duration.ofMinutes(59));
        assertThat(waiting.ended()).as("not due yet").isNotDone();

        clock.advance(Duration.ofMinutes(1));

        assertThat(waiting.get()).isEqualTo(new Ended(Outcome.DUE, false));
    }

    @Test
    void aWaitOnTheSystemClockTimesOutByItself() {
        Waiter onSystemClock = new Waiter(Clock.systemUTC());
        long began = System.nanoTime();

        assertThat(onSystemClock.await(Duration.ofMillis(50))).isEqualTo(Outcome.DUE);

        assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
    }

    @Test
    void aDueTimeAlreadyPassedEndsTheWaitAtOnce() {
        assertThat(waiter.awaitUntil(clock.instant().minusSeconds(1))).isEqualTo(Outcome.DUE);
        assertThat(waiter.await(Duration.ZERO)).isEqualTo(Outcome.DUE);
    }

    @Test
    void aWakeBeforeTheWaitIsNotLostAndSeveralCountAsOne() {
        waiter.wake();
        waiter.wake();

        assertThat(waiter.await(Duration.ofHours(1))).as("the wake came first").isEqualTo(Outcome.WOKEN);
        assertThat(waiter.await(Duration.ZERO)).as("both wakes were seen by the first wait").isEqualTo(Outcome.DUE);
    }

    @Test
    void anInterruptEndsAWaitUnderWayAndTheFlagIsRestored() throws Exception {
        Waiting waiting = waitOnAnotherThread(clock.instant().plus(Duration.ofHours(1)));

        waiting.thread().interrupt();

        assertThat(waiting.get()).isEqualTo(new Ended(Outcome.INTERRUPTED, true));
    }

    @Test
    void anInterruptedThreadDoesNotWaitAndKeepsItsFlag() {
        Thread.currentThread().interrupt();
        try {
            assertThat(waiter.await(Duration.ofHours(1))).isEqualTo(Outcome.INTERRUPTED);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
