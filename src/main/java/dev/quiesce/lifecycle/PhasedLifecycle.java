package dev.quiesce.lifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * What every stop participant shares: a phase from {@link ShutdownPhases}, a running flag, and a stop that
 * always clears it. A subclass says only what it starts and what it stops.
 */
public abstract class PhasedLifecycle implements SmartLifecycle {

    private final int phase;
    private volatile boolean running;

    protected PhasedLifecycle(int phase) {
        this.phase = phase;
    }

    /** A participant that only marks a moment of the stop: nothing to start, {@code onStop} to stop. */
    public static PhasedLifecycle onStop(int phase, Runnable onStop) {
        return new MarkerLifecycle(phase, onStop);
    }

    /** Starts what this participant runs; nothing by default. */
    protected void onStart() {
    }

    /** Its part of the stop, bounded by the stop's deadline. */
    protected abstract void onStop();

    @Override
    public final void start() {
        onStart();
        running = true;
    }

    @Override
    public final void stop() {
        try {
            onStop();
        } finally {
            running = false;
        }
    }

    @Override
    public final boolean isRunning() {
        return running;
    }

    @Override
    public final int getPhase() {
        return phase;
    }

    private static final class MarkerLifecycle extends PhasedLifecycle {
        private final Runnable onStop;

        MarkerLifecycle(int phase, Runnable onStop) {
            super(phase);
            this.onStop = onStop;
        }

        @Override
        protected void onStop() {
            onStop.run();
        }
    }
}
