package dev.quiesce.jobs;

import java.time.Instant;

/**
 * One stored job as the store holds it. {@code params} and {@code result} are JSON text.
 * Absent values are {@code null}. {@code options} say how it runs; {@code failures} counts its runs that failed.
 * {@code retriedAttempts} and {@code retriedFailures} are what {@code attempts} and {@code failures} were when the
 * job was last retried by hand (0 if never): retries and the poison guard count from there.
 */
public record Job(
        String id,
        String type,
        String params,
        JobStatus status,
        int attempts,
        Instant submittedAt,
        Instant startedAt,
        Instant finishedAt,
        String result,
        String error,
        String idempotencyKey,
        String instance,
        boolean cancelRequested,
        RunOptions options,
        int failures,
        int retriedAttempts,
        int retriedFailures) {

    /** A job never retried by hand. */
    public Job(String id, String type, String params, JobStatus status, int attempts, Instant submittedAt,
            Instant startedAt, Instant finishedAt, String result, String error, String idempotencyKey,
            String instance, boolean cancelRequested, RunOptions options, int failures) {
        this(id, type, params, status, attempts, submittedAt, startedAt, finishedAt, result, error, idempotencyKey,
                instance, cancelRequested, options, failures, 0, 0);
    }

    /** This job with an outcome that is decided but not yet written (see {@link OutcomeSink#pending}). */
    public Job withOutcome(FinishedJob outcome) {
        if (outcome.requeue()) {
            return new Job(id, type, params, JobStatus.QUEUED, attempts, submittedAt, startedAt, null, null, null,
                    idempotencyKey, instance, cancelRequested, options, failures, retriedAttempts, retriedFailures);
        }
        if (outcome.retryAt() != null) {
            return new Job(id, type, params, JobStatus.SCHEDULED, attempts, submittedAt, startedAt, null, null,
                    outcome.error(), idempotencyKey, instance, cancelRequested, options.at(outcome.retryAt()),
                    failures + 1, retriedAttempts, retriedFailures);
        }
        return new Job(id, type, params, outcome.status(), attempts, submittedAt, startedAt, outcome.finishedAt(),
                outcome.result(), outcome.error(), idempotencyKey, instance, cancelRequested, options,
                outcome.status() == JobStatus.FAILED ? failures + 1 : failures, retriedAttempts, retriedFailures);
    }

    /** Whether a failed run of this job is tried again: it has retries left (a retry by hand gave a fresh set). */
    public boolean mayRetry() {
        return failuresSinceRetried() < options.retries();
    }

    /** The runs that failed since the job was last retried by hand (all if never): what retries and backoff count. */
    public int failuresSinceRetried() {
        return failures - retriedFailures;
    }

    /**
     * The starts that never finished (crashes, kill -9) since the job was last retried by hand: what the poison
     * guard counts. A failed run finished, so it is not among them.
     */
    public int unfinishedStarts() {
        return (attempts - retriedAttempts) - failuresSinceRetried();
    }
}
