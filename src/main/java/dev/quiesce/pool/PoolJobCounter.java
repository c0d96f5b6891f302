package dev.quiesce.pool;

import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.store.JobStore;

/** Queued from the store (the queue of record), running from this instance's pool. */
final class PoolJobCounter implements JobCounter {

    private final JobStore store;
    private final JobPool pool;

    PoolJobCounter(JobStore store, JobPool pool) {
        this.store = store;
        this.pool = pool;
    }

    @Override
    public long queued() {
        try {
            return store.countQueued();
        } catch (RuntimeException e) {
            return -1;
        }
    }

    @Override
    public long running() {
        return pool.running();
    }
}
