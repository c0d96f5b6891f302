package dev.quiesce.lifecycle;

/** Live job counts for status views and logs. Must be cheap enough to call on every {@code /lifecycle}. */
public interface JobCounter {

    long queued();

    long running();
}
