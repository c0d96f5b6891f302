package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The wait before a job is tried again: doubling from the initial wait, capped, varied by at most ±20 %. */
class RetryBackoffTest {

    private static RetryBackoff backoff(double random) {
        return new RetryBackoff(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> random);
    }

    @Test
    void theWaitDoublesWithEachFailureUntilTheCap() {
        RetryBackoff middle = backoff(0.5);
        assertThat(middle.after(0)).isEqualTo(Duration.ofSeconds(1));
        assertThat(middle.after(1)).isEqualTo(Duration.ofSeconds(2));
        assertThat(middle.after(5)).isEqualTo(Duration.ofSeconds(32));
        assertThat(middle.after(9)).isEqualTo(Duration.ofSeconds(512));
        assertThat(middle.after(10)).as("1024 s capped at 10 min").isEqualTo(Duration.ofMinutes(10));
        assertThat(middle.after(25)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void theJitterVariesEachWaitByAtMostAFifthEitherWay() {
        assertThat(backoff(0.0).after(3)).isEqualTo(Duration.ofMillis(6400));
        assertThat(backoff(0.999_999).after(3).toMillis()).isBetween(9599L, 9600L);
        assertThat(backoff(0.0).after(25)).as("the cap varies too").isEqualTo(Duration.ofMinutes(8));
    }
}
