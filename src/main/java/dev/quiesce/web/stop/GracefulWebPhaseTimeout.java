package dev.quiesce.web.stop;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

import dev.quiesce.lifecycle.ShutdownPhases;

/**
 * Caps Spring Boot's graceful web phase ({@link ShutdownPhases#WEB_GRACEFUL}) at what is left of the stop.
 * Left alone, Spring waits up to {@code spring.lifecycle.timeout-per-shutdown-phase} (set to the whole budget,
 * as a backstop) from the phase's own start, so one slow in-flight request could make a stop last about twice
 * its budget.
 *
 * <p>Why this works, and why it must be called where it is: {@link DefaultLifecycleProcessor} reads a phase's
 * wait only when that phase's group waits, after calling its members' {@code stop} (spring-context 7.0.8,
 * {@code LifecycleGroup.stop()}). The web phase's start marker stops one phase above, just before, so a timeout
 * set there is the one the graceful phase waits. {@code GracefulWebPhaseTest} pins that order.
 */
final class GracefulWebPhaseTimeout {

    private static final Logger log = LoggerFactory.getLogger(GracefulWebPhaseTimeout.class);

    /**
     * The shortest wait we set. Spring 7.0.8 passes the timeout to {@code CountDownLatch.await}, where 0 means
     * "do not wait", but that meaning is not documented (and 0 means "forever" elsewhere, as in
     * {@code Thread.join}); 1 ms says "no time left" without resting on it.
     */
    static final Duration FLOOR = Duration.ofMillis(1);

    private final BeanFactory beans;

    GracefulWebPhaseTimeout(BeanFactory beans) {
        this.beans = beans;
    }

    /**
     * Lets the graceful web phase wait at most {@code left} (at least {@link #FLOOR}). Call it after the
     * phases above {@link ShutdownPhases#WEB_GRACEFUL} have stopped and before it stops. When the context's
     * lifecycle processor is not a {@link DefaultLifecycleProcessor}, nothing changes: the Spring setting bounds
     * the phase.
     */
    void limitTo(Duration left) {
        String name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME;
        Object processor = beans.containsBean(name) ? beans.getBean(name) : null;
        if (processor instanceof DefaultLifecycleProcessor lifecycle) {
            long millis = Math.max(FLOOR.toMillis(), left.toMillis());
            lifecycle.setTimeoutForShutdownPhase(ShutdownPhases.WEB_GRACEFUL, millis);
            log.debug("Graceful web phase may wait {} ms, what is left of the stop", millis);
        } else {
            log.debug("Lifecycle processor {} is not a DefaultLifecycleProcessor: the graceful web phase keeps "
                    + "spring.lifecycle.timeout-per-shutdown-phase", processor == null ? "(none)"
                            : processor.getClass().getName());
        }
    }
}
