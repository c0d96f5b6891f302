package dev.quiesce.processor;

import java.util.Map;

import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.PhasedLifecycle;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.StopPhase;

/** Starts the outcome flusher; on stop, flushes everything the pool handed it (phase {@code processor}). */
final class ProcessorFlushLifecycle extends PhasedLifecycle {

    private final OutcomeProcessor processor;
    private final ShutdownCoordinator coordinator;

    ProcessorFlushLifecycle(OutcomeProcessor processor, ShutdownCoordinator coordinator) {
        super(ShutdownPhases.PROCESSOR);
        this.processor = processor;
        this.coordinator = coordinator;
    }

    @Override
    protected void onStart() {
        processor.start();
    }

    @Override
    protected void onStop() {
        coordinator.runPhase(StopPhase.PROCESSOR, deadline -> {
            int before = processor.unwritten();
            int left = processor.stopAndFlush(deadline);
            Map<String, Long> counts = Map.of("flushed", (long) before - left, "unwritten", (long) left);
            return left == 0 ? PhaseResult.done(counts) : PhaseResult.timedOut(counts);
        });
    }
}
