package dev.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.quiesce.lifecycle.StoreHealth.Condition;
import dev.quiesce.lifecycle.StoreHealth.State;
import dev.quiesce.testing.MutableClock;

/** What an instance knows of its store, learnt from its calls' answers, on a clock the test moves. */
class StoreHealthTest {

    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Instant start = clock.instant();
    private final StoreHealth health = new StoreHealth(clock, SETTLE);

    @Test
    void itIsUpFromTheStart() {
        assertThat(health.condition()).isEqualTo(new Condition(State.UP, start, null));
        assertThat(health.isUp()).isTrue();
    }

    @Test
    void aFaultMakesItDownSinceThatTimeWithTheReason() {
        clock.advance(Duration.ofSeconds(3));

        health.fault("the store did not answer within 2000 ms");

        assertThat(health.condition()).isEqualTo(
                new Condition(State.DOWN, start.plusSeconds(3), "the store did not answer within 2000 ms"));
        assertThat(health.isUp()).isFalse();
    }

    @Test
    void anAnswerWithinTheSettleTimeKeepsItDown() {
        health.fault("disk full");
        clock.advance(SETTLE.minusMillis(1));

        health.answered();

        assertThat(health.condition()).isEqualTo(new Condition(State.DOWN, start, "disk full"));
    }

    @Test
    void anAnswerOnceTheSettleTimeHasPassedWithNoFaultMakesItUpSinceThen() {
        health.fault("disk full");
        clock.advance(SETTLE);
        Instant answeredAt = clock.instant();

        health.answered();

        assertThat(health.condition()).isEqualTo(new Condition(State.UP, answeredAt, null));
        assertThat(health.isUp()).isTrue();
    }

    @Test
    void aFaultWhileDownKeepsTheFirstSinceAndReasonAndStartsTheSettleTimeAgain() {
        health.fault("first");
        clock.advance(Duration.ofSeconds(4));
        Instant secondFault = clock.instant();

        health.fault("second");

        assertThat(health.condition()).isEqualTo(new Condition(State.DOWN, start, "first"));
        clock.set(start.plus(SETTLE)); // settled since the first fault, not since the second
        health.answered();
        assertThat(health.condition().state()).isEqualTo(State.DOWN);
        clock.set(secondFault.plus(SETTLE));
        health.answered();
        assertThat(health.condition()).isEqualTo(new Condition(State.UP, secondFault.plus(SETTLE), null));
    }

    @Test
    void anAnswerWhileUpChangesNothing() {
        clock.advance(Duration.ofMinutes(1));

        health.answered();

        assertThat(health.condition()).isEqualTo(new Condition(State.UP, start, null));
    }
}
