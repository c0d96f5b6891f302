package dev.quiesce.store;

/** A thread that hears about work queued by other instances. */
interface NewWorkListener extends AutoCloseable {

    void start();

    @Override
    void close();
}
