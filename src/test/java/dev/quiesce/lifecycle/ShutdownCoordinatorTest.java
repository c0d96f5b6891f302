package dev.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.quiesce.testing.MutableClock;

/** The stop kernel driven directly with a clock the test moves. */
class ShutdownCoordinatorTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobCounter counter = new JobCounter() {
        @Override
        public long queued() {
            return 3;
        }

        @Override
        public long running() {
            return 2;
        }
    };
    private final ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, Duration.ofSeconds(8), "i-1",
            counter);

    @Test
    void startsStartingThenRunsAndAcceptsWork() {
        assertThat(coordinator.state()).isEqualTo(LifecycleState.STARTING);
        coordinator.started();
        assertThat(coordinator.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(coordinator.isAcceptingWork()).isTrue();
        assertThat(coordinator.status().deadline()).isNull();
    }

    @Test
    void aStopBeginsOnceAndItsDeadlineIsTheBudgetFromThen() {
        coordinator.started();
        clock.advance(Duration.ofSeconds(5));
        assertThat(coordinator.begin("SIGTERM")).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(coordinator.begin("again")).isFalse();
        assertThat(coordinator.state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(coordinator.isAcceptingWork()).isFalse();
        assertThat(coordinator.deadline().at()).isEqualTo(Instant.parse("2026-01-01T00:00:13Z"));
        assertThat(coordinator.deadline().remaining()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void askingForTheDeadlineBeginsNoStop() {
        coordinator.started();
        assertThatIllegalStateException().isThrownBy(coordinator::deadline);
        assertThat(coordinator.state()).isEqualTo(LifecycleState.RUNNING);
        assertThat(coordinator.isAcceptingWork()).isTrue();
    }

    @Test
    void aPhaseSpringRunsWithoutASignalBeginsTheStopItself() {
        coordinator.started();
        clock.advance(Duration.ofSeconds(2));
        Deadline deadline = coordinator.phaseStarted(StopPhase.WEB);
        assertThat(coordinator.state()).isEqualTo(LifecycleState.DRAINING);
        assertThat(deadline.at()).isEqualTo(Instant.parse("2026-01-01T00:00:10Z"));
    }

    @Test
    void eachPhaseGetsWhatIsLeftOfTheOneBudget() {
        coordinator.started();
        coordinator.begin("test");
        List<Duration> seen = new ArrayList<>();
        coordinator.runPhase(StopPhase.INTAKE, deadline -> {
            seen.add(deadline.remaining());
            clock.advance(Duration.ofSeconds(2));
            return PhaseResult.done();
        });
        coordinator.runPhase(StopPhase.JOBS, deadline -> {
            seen.add(deadline.remaining());
            clock.advance(Duration.ofSeconds(5));
            return PhaseResult.done(Map.of("finished", 7L));
        });
        assertThat(seen).containsExactly(Duration.ofSeconds(8), Duration.ofSeconds(6));
        PhaseStatus jobs = coordinator.status().phases().get(StopPhase.JOBS.ordinal());
        assertThat(jobs.state()).isEqualTo(PhaseState.DONE);
        assertThat(jobs.durationMs()).isEqualTo(5000);
        assertThat(jobs.counts()).containsEntry("finished", 7L);
    }

    @Test
    void aCleanStopExitsZeroAndReportsWhatDrained() {
        coordinator.started();
        coordinator.begin("test");
        for (StopPhase phase : StopPhase.values()) {
            coordinator.runPhase(phase, deadline -> {
                clock.advance(Duration.ofMillis(100));
                return phase == StopPhase.JOBS ? PhaseResult.done(Map.of("finished", 4L, "requeued", 0L))
                        : PhaseResult.done();
            });
        }
        ShutdownReport report = coordinator.finish();
        assertThat(report.clean()).isTrue();
        assertThat(report.exitStatus()).isZero();
        assertThat(coordinator.exitStatus()).isZero();
        assertThat(report.drained()).isEqualTo(4);
        assertThat(report.durationMs()).isEqualTo(600);
        assertThat(coordinator.state()).isEqualTo(LifecycleState.STOPPED);
    }

    @Test
    void cutOffWorkMakesTheStopUncleanWithExitStatus75() {
        coordinator.started();
        coordinator.begin("test");
        coordinator.runPhase(StopPhase.JOBS, deadline -> PhaseResult.timedOut(Map.of("requeued", 2L)));
        ShutdownReport report = coordinator.finish();
        assertThat(report.clean()).isFalse();
        assertThat(report.exitStatus()).isEqualTo(ExitStatus.CUT_OFF);
        assertThat(report.requeued()).isEqualTo(2);
    }

    @Test
    void aPhaseThatEndsAfterTheDeadlineIsTimedOutWhateverItSays() {
        coordinator.started();
        coordinator.begin("test");
        coordinator.runPhase(StopPhase.PROCESSOR, deadline -> {
            clock.advance(Duration.ofSeconds(9));
            return PhaseResult.done();
        });
        assertThat(coordinator.status().phases().get(StopPhase.PROCESSOR.ordinal()).state())
                .isEqualTo(PhaseState.TIMED_OUT);
        assertThat(coordinator.finish().exitStatus()).isEqualTo(ExitStatus.CUT_OFF);
    }

    @Test
    void aPhaseThatThrowsIsRecordedAndTheStopGoesOn() {
        coordinator.begin("test");
        PhaseResult result = coordinator.runPhase(StopPhase.SCHEDULER, deadline -> {
            throw new IllegalStateException("broken");
        });
        assertThat(result.state()).isEqualTo(PhaseState.TIMED_OUT);
        coordinator.runPhase(StopPhase.JOBS, deadline -> PhaseResult.done());
        assertThat(coordinator.status().phases().get(StopPhase.JOBS.ordinal()).state()).isEqualTo(PhaseState.DONE);
    }

    @Test
    void queuedJobsLeftOnPurposeDoNotMakeTheStopUnclean() {
        coordinator.begin("test");
        coordinator.runPhase(StopPhase.JOBS, deadline -> PhaseResult.done(Map.of("leftQueued", 12L)));
        ShutdownReport report = coordinator.finish();
        assertThat(report.clean()).isTrue();
        assertThat(report.leftQueued()).isEqualTo(12);
    }

    @Test
    void listenersSeeEveryChangeAndEachPhaseEnd() {
        List<LifecycleState> states = new ArrayList<>();
        List<StopPhase> ended = new ArrayList<>();
        coordinator.addListener(new ShutdownListener() {
            @Override
            public void changed(LifecycleStatus status) {
                states.add(status.state());
            }

            @Override
            public void phaseEnded(StopPhase phase, PhaseState state, Duration took) {
                ended.add(phase);
            }
        });
        coordinator.started();
        coordinator.begin("test");
        coordinator.runPhase(StopPhase.INTAKE, deadline -> PhaseResult.done());
        coordinator.finish();
        assertThat(states).startsWith(LifecycleState.RUNNING, LifecycleState.DRAINING).endsWith(LifecycleState.STOPPED);
        assertThat(ended).containsExactly(StopPhase.INTAKE);
    }

    @Test
    void thePhaseOrderPutsJobsBeforeTheWebServerAndTheStoreLast() {
        assertThat(ShutdownPhases.INTAKE).isGreaterThan(ShutdownPhases.SCHEDULER);
        assertThat(ShutdownPhases.SCHEDULER).isGreaterThan(ShutdownPhases.JOBS);
        assertThat(ShutdownPhases.JOBS).isGreaterThan(ShutdownPhases.PROCESSOR);
        assertThat(ShutdownPhases.PROCESSOR).isGreaterThan(ShutdownPhases.WEB);
        assertThat(ShutdownPhases.WEB).isGreaterThan(ShutdownPhases.WEB_GRACEFUL);
        assertThat(ShutdownPhases.STORE).isLessThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE - 2048);
        assertThat(ShutdownPhases.INTAKE).isLessThan(org.springframework.context.SmartLifecycle.DEFAULT_PHASE);
    }
}
