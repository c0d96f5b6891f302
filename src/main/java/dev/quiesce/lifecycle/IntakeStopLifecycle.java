package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * First phase of a stop ({@code intake}): DRAINING, so {@code POST /jobs} answers 503; readiness out of
 * service; then the optional pre-stop delay, with the port still serving, for load balancers to notice.
 */
final class IntakeStopLifecycle extends PhasedLifecycle {

    private final ShutdownCoordinator coordinator;
    private final ApplicationEventPublisher events;
    private final Duration preStopDelay;

    IntakeStopLifecycle(ShutdownCoordinator coordinator, ApplicationEventPublisher events, Duration preStopDelay) {
        super(ShutdownPhases.INTAKE);
        this.coordinator = coordinator;
        this.events = events;
        this.preStopDelay = preStopDelay;
    }

    @Override
    protected void onStop() {
        coordinator.begin("context closing");
        coordinator.runPhase(StopPhase.INTAKE, deadline -> {
            AvailabilityChangeEvent.publish(events, this, ReadinessState.REFUSING_TRAFFIC);
            Duration wait = preStopDelay.compareTo(deadline.remaining()) < 0 ? preStopDelay : deadline.remaining();
            if (!wait.isZero()) {
                try {
                    Thread.sleep(wait.toMillis()); // one bounded wait, not a loop: the port keeps serving meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return PhaseResult.done(Map.of("preStopDelayMs", wait.toMillis()));
        });
    }
}
