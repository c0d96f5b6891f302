package dev.quiesce.store;

import java.time.Instant;
import java.util.Set;

/**
 * Which schedules are paused, kept in the store: one answer for every instance sharing it, and the same after a
 * restart. Every call may wait on the database, at most the store's timeout, and throws
 * {@link StoreUnavailableException} past it; a call that throws may still have been written. Thread-safe.
 */
public interface SchedulePauses {

    /** The names of the paused schedules (one small read). */
    Set<String> paused();

    /** Pauses {@code name} as of {@code at}; pausing a paused schedule changes nothing (it keeps its first time). */
    void pause(String name, Instant at);

    /** Resumes {@code name}; resuming a schedule that is not paused changes nothing. */
    void resume(String name);
}
