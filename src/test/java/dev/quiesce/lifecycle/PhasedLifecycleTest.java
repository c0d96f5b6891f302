package dev.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The shared shape of a stop participant: what it starts, what it stops, and a flag that never lies. */
class PhasedLifecycleTest {

    private final List<String> calls = new ArrayList<>();

    @Test
    void startsThenRunsAndAStopClearsTheFlagAfterItsWork() {
        PhasedLifecycle participant = new PhasedLifecycle(ShutdownPhases.JOBS) {
            @Override
            protected void onStart() {
                calls.add("start, running=" + isRunning());
            }

            @Override
            protected void onStop() {
                calls.add("stop, running=" + isRunning());
            }
        };
        assertThat(participant.getPhase()).isEqualTo(ShutdownPhases.JOBS);
        participant.start();
        assertThat(participant.isRunning()).isTrue();
        participant.stop();
        assertThat(participant.isRunning()).isFalse();
        assertThat(calls).containsExactly("start, running=false", "stop, running=true");
    }

    @Test
    void aStopThatFailsStillLeavesItStopped() {
        PhasedLifecycle marker = PhasedLifecycle.onStop(ShutdownPhases.WEB, () -> {
            throw new IllegalStateException("phase failed");
        });
        marker.start();
        assertThatIllegalStateException().isThrownBy(marker::stop);
        assertThat(marker.isRunning()).isFalse();
    }

    @Test
    void theStopEndsBetweenTheWebServerAndTheStore() {
        assertThat(ShutdownPhases.WEB_ENDED).isLessThan(ShutdownPhases.WEB_SERVER);
        assertThat(ShutdownPhases.STOP_END).isLessThan(ShutdownPhases.WEB_ENDED)
                .isGreaterThan(ShutdownPhases.STORE);
    }
}
