package dev.quiesce.web.stop;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.PhasedLifecycle;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.StopPhase;
import dev.quiesce.requests.JobQueries;
import dev.quiesce.web.BodyFirstFilter;
import dev.quiesce.web.stream.LifecycleStreams;

/**
 * Spring Boot runs the web server's graceful stop itself; these two markers around it record the
 * {@code web} phase. The first also ends every long poll and every lifecycle stream, and refuses every request
 * body still arriving, so in-flight requests finish at once and the graceful stop waits out neither a 30 s poll,
 * an open console nor a slow client, and it caps the
 * graceful stop at what is left of the stop's deadline ({@link GracefulWebPhaseTimeout}).
 */
@Configuration(proxyBeanMethods = false)
class WebPhaseMarkers {

    @Bean
    SmartLifecycle webPhaseStart(ShutdownCoordinator coordinator, ObjectProvider<JobQueries> queries,
            ObjectProvider<BodyFirstFilter> bodies, ObjectProvider<LifecycleStreams> streams, BeanFactory beans) {
        GracefulWebPhaseTimeout graceful = new GracefulWebPhaseTimeout(beans);
        return PhasedLifecycle.onStop(ShutdownPhases.WEB, () -> {
            Deadline deadline = coordinator.phaseStarted(StopPhase.WEB);
            queries.ifAvailable(JobQueries::releaseWaiters);
            bodies.ifAvailable(BodyFirstFilter::refuseAll);
            streams.ifAvailable(LifecycleStreams::closeAll);
            // Last, so the cap is what is left when Spring's graceful phase begins, right after this returns.
            graceful.limitTo(deadline.remaining());
        });
    }

    @Bean
    SmartLifecycle webPhaseEnd(ShutdownCoordinator coordinator) {
        return PhasedLifecycle.onStop(ShutdownPhases.WEB_ENDED,
                () -> coordinator.phaseEnded(StopPhase.WEB, PhaseResult.done()));
    }
}
