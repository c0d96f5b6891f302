package dev.quiesce.store;

/** A thread that hears about work queued by other instances (see {@link SqlDialect#newWorkListener}). */
public interface NewWorkListener extends AutoCloseable {

    /** Starts listening; calls the listener's {@code onNewWork} from its own thread. */
    void start();

    /** Stops listening, without waiting for the thread. */
    @Override
    void close();
}
