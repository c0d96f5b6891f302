package dev.quiesce.jobs;

import java.util.Collection;
import java.util.Optional;

/**
 * Where a worker hands the end of a run. Implementations may buffer (write-behind); until the outcome is
 * written, {@link #pending} answers it so that readers never see a finished job as still running.
 * Thread-safe.
 */
public interface OutcomeSink {

    void accept(FinishedJob outcome);

    Optional<FinishedJob> pending(String jobId);

    /**
     * The jobs whose outcome not yet written gives them {@code status} as readers see it (a requeue reads as
     * QUEUED), at most {@code max} of them.
     */
    Collection<String> pendingWith(JobStatus status, int max);
}
