package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Once the service is ready, one WARN line when the stop's budget leaves less than {@link #MARGIN} under the
 * grace period the platform was said to give ({@code quiesce.shutdown.grace-period}: Docker's
 * {@code --stop-timeout}, Kubernetes' {@code terminationGracePeriodSeconds}): past it the platform kills the
 * process, and a stop that uses its budget needs the margin for the JVM's exit and the signal's way.
 */
final class GracePeriodWarning {

    private static final Logger log = LoggerFactory.getLogger(GracePeriodWarning.class);

    /** What a stop needs beyond its budget, under the platform's grace period. */
    static final Duration MARGIN = Duration.ofSeconds(2);

    private final Duration budget;
    private final Duration gracePeriod;
    private final AtomicBoolean told = new AtomicBoolean();

    /** @param gracePeriod null when none was set: nothing to check */
    GracePeriodWarning(Duration budget, Duration gracePeriod) {
        this.budget = budget;
        this.gracePeriod = gracePeriod;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (told.compareAndSet(false, true)) {
            warning().ifPresent(log::warn);
        }
    }

    /** The line to log, if the budget leaves less than the margin under the grace period. */
    Optional<String> warning() {
        if (gracePeriod == null || gracePeriod.minus(budget).compareTo(MARGIN) >= 0) {
            return Optional.empty();
        }
        return Optional.of(String.format(java.util.Locale.ROOT,
                "quiesce.shutdown.budget (%s) leaves %s under quiesce.shutdown.grace-period (%s), less than %s: a "
                        + "stop that uses its budget may be killed by the platform before it ends; give the "
                        + "platform a longer grace period or the stop a shorter budget",
                ShutdownCoordinator.format(budget), ShutdownCoordinator.format(gracePeriod.minus(budget)),
                ShutdownCoordinator.format(gracePeriod), ShutdownCoordinator.format(MARGIN)));
    }
}
