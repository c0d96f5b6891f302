package dev.quiesce.jobs;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where a worker hands the end of a run. Implementations may buffer (write-behind); until the outcome is
 * written, {@link #pending} answers it so that readers never see a finished job as still running.
 * Thread-safe.
 */
public interface OutcomeSink {

    void accept(FinishedJob outcome);

    Optional<FinishedJob> pending(String jobId);

    /**
     * The outcomes not yet written, copied now. A reader takes them before it reads the store, and lays them
     * over rows it read still RUNNING: an outcome written (and so no longer pending) while the rows were read
     * is then still shown.
     */
    Map<String, FinishedJob> pendingNow();

    /**
     * Writes what is buffered now, ahead of the next flush, waiting at most {@code wait} in all (for a write
     * under way, then for the store): for a caller that must act on a job's stored outcome, such as a retry by
     * hand of a job that readers already see FAILED. A sink that writes at once has nothing to do.
     */
    default void writeNow(Duration wait) {
    }

    /**
     * The jobs whose outcome not yet written gives them {@code status} as readers see it (a requeue reads as
     * QUEUED), at most {@code max} of them.
     */
    Collection<String> pendingWith(JobStatus status, int max);

    /**
     * Runs {@code view} while no write of outcomes is under way, so that what the store shows and what is still
     * pending here add up: each outcome is in one or the other, never in both or in neither. Waits for a write
     * in progress at most {@code wait}; empty if it took longer. A sink that writes at once runs it straight
     * away.
     */
    default <T> Optional<T> betweenWrites(Supplier<T> view, Duration wait) {
        return Optional.of(view.get());
    }
}
