package dev.quiesce.processor;

import java.util.Map;

import org.springframework.context.SmartLifecycle;

import dev.quiesce.lifecycle.PhaseResult;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.ShutdownPhases;
import dev.quiesce.lifecycle.StopPhase;

/** Starts the outcome flusher; on stop, flushes everything the pool handed it (phase {@code processor}). */
final class ProcessorFlushLifecycle implements SmartLifecycle {

    private final OutcomeProcessor processor;
    private final ShutdownCoordinator coordinator;
    private volatile boolean running;

    ProcessorFlushLifecycle(OutcomeProcessor processor, ShutdownCoordinator coordinator) {
        this.processor = processor;
        this.coordinator = coordinator;
    }

    @Override
    public void start() {
        processor.start();
        running = true;
    }

    @Override
    public void stop() {
        coordinator.runPhase(StopPhase.PROCESSOR, deadline -> {
            int before = processor.unwritten();
            int left = processor.stopAndFlush(deadline);
            Map<String, Long> counts = Map.of("flushed", (long) before - left, "unwritten", (long) left);
            return left == 0 ? PhaseResult.done(counts) : PhaseResult.timedOut(counts);
        });
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return ShutdownPhases.PROCESSOR;
    }
}
