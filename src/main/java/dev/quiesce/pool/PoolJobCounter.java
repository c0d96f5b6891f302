package dev.quiesce.pool;

import java.time.Instant;

import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.store.JobStore;

/** Queued as the store last counted it (kept in memory), running from this instance's pool. */
final class PoolJobCounter implements JobCounter {

    private final JobStore store;
    private final JobPool pool;

    PoolJobCounter(JobStore store, JobPool pool) {
        this.store = store;
        this.pool = pool;
    }

    @Override
    public long queued() {
        return store.lastKnownQueued().count();
    }

    @Override
    public Instant queuedAsOf() {
        return store.lastKnownQueued().at();
    }

    @Override
    public long finished() {
        return pool.finished();
    }

    @Override
    public long running() {
        return pool.running();
    }
}
