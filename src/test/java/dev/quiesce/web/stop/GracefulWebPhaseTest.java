package dev.quiesce.web.stop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.testing.MutableClock;

/**
 * The graceful web phase waits what is left of the stop, not Spring's per-phase timeout. This rests on the order
 * in which Spring Framework's {@link DefaultLifecycleProcessor} reads a phase's timeout (after the phase above
 * has stopped), so it runs the real {@link WebPhaseMarkers} and {@link ShutdownCoordinator} in a plain context
 * with Spring's processor, its per-phase timeout far above the budget (Spring Boot sets it to the budget), and a
 * request in the graceful phase that never finishes. The test's clock stands still: what is left is exact.
 */
@Timeout(30)
class GracefulWebPhaseTest {

    private static final Duration BUDGET = Duration.ofMillis(2_500);
    private static final Duration SPENT_ABOVE_THE_WEB_PHASE = Duration.ofSeconds(1);
    private static final long PER_PHASE_TIMEOUT_MILLIS = 10_000;
    private static final JobCounter NO_JOBS = JobCounter.NONE;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, BUDGET, "web-phase", NO_JOBS);
    private final StuckRequestLifecycle stuckRequest = new StuckRequestLifecycle();
    private AnnotationConfigApplicationContext context;

    /** The markers as the service declares them, around a graceful web phase that holds a stuck request. */
    private void start() {
        context = new AnnotationConfigApplicationContext();
        context.registerBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, DefaultLifecycleProcessor.class,
                () -> {
                    DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
                    processor.setTimeoutPerShutdownPhase(PER_PHASE_TIMEOUT_MILLIS);
                    return processor;
                });
        context.registerBean(ShutdownCoordinator.class, () -> coordinator);
        context.registerBean("stuckRequest", StuckRequestLifecycle.class, () -> stuckRequest);
        context.register(WebPhaseMarkers.class);
        context.refresh();
    }

    @AfterEach
    void close() {
        if (context != null) {
            context.close(); // does nothing if the test closed it
        }
    }

    @Test
    void theGracefulWebPhaseWaitsWhatIsLeftOfTheStopNotSpringsPerPhaseTimeout() {
        start();
        coordinator.begin("test");
        clock.advance(SPENT_ABOVE_THE_WEB_PHASE);
        Duration left = coordinator.deadline().remaining();

        Duration took = timeToClose();

        assertThat(stuckRequest.stopAsked).as("the stuck request held the graceful phase").isTrue();
        assertThat(took).as("closing with %s left of a %s budget, %d ms per phase", left, BUDGET,
                PER_PHASE_TIMEOUT_MILLIS)
                .isGreaterThanOrEqualTo(left)
                .isLessThan(left.plusSeconds(1));
    }

    @Test
    void whenTheDeadlineHasPassedTheGracefulWebPhaseDoesNotWait() {
        start();
        coordinator.begin("test");
        clock.advance(BUDGET.plusSeconds(1));

        Duration took = timeToClose();

        assertThat(stuckRequest.stopAsked).isTrue();
        assertThat(took).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aLifecycleProcessorOfAnotherKindIsLeftAloneAndTheStopGoesOn() {
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        beans.registerSingleton(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME, new LifecycleProcessor() {
            @Override
            public void onRefresh() {
            }

            @Override
            public void onClose() {
            }

            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        });
        assertThatNoException().isThrownBy(() -> new GracefulWebPhaseTimeout(beans).limitTo(Duration.ofSeconds(1)));
    }

    private Duration timeToClose() {
        long began = System.nanoTime();
        context.close();
        return Duration.ofNanos(System.nanoTime() - began);
    }

    /** An in-flight request in Spring Boot's graceful web phase that never finishes: it never calls back. */
    private static final class StuckRequestLifecycle implements SmartLifecycle {
        volatile boolean running;
        volatile boolean stopAsked;

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            throw new UnsupportedOperationException("Spring stops a SmartLifecycle through stop(Runnable)");
        }

        @Override
        public void stop(Runnable callback) {
            stopAsked = true;
        }

        @Override
        public boolean isRunning() {
            return running;
        }

        @Override
        public int getPhase() {
            return ShutdownPhases.WEB_GRACEFUL;
        }
    }
}
