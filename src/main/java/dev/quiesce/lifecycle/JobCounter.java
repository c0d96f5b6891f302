package dev.quiesce.lifecycle;

import java.time.Instant;

/**
 * Live job counts for status views and logs, from memory: called on every {@code /lifecycle} read and at the
 * start of a stop, it must never wait on the store.
 */
public interface JobCounter {

    /** QUEUED jobs as last known (see {@link #queuedAsOf()}). */
    long queued();

    /** When the store last counted {@link #queued()} (the count follows this instance's own changes since); null if never. */
    default Instant queuedAsOf() {
        return null;
    }

    long running();

    /** Jobs this instance has run to an end so far: a running total, so a stop can count what ended since it began. */
    default long finished() {
        return 0;
    }

    /** No jobs: for a coordinator without a pool (tests, tools). */
    JobCounter NONE = new JobCounter() {
        @Override
        public long queued() {
            return 0;
        }

        @Override
        public long running() {
            return 0;
        }
    };
}
