package dev.quiesce.jobs;

import java.time.Instant;

/**
 * One stored job as the store holds it. {@code params} and {@code result} are JSON text.
 * Absent values are {@code null}. {@code options} say how it runs; {@code failures} counts its runs that failed.
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
        int failures) {

    /** This job with an outcome that is decided but not yet written (see {@link OutcomeSink#pending}). */
    public Job withOutcome(FinishedJob outcome) {
        if (outcome.requeue()) {
            return new Job(id, type, params, JobStatus.QUEUED, attempts, submittedAt, startedAt, null, null, null,
                    idempotencyKey, instance, cancelRequested, options, failures);
        }
        if (outcome.retryAt() != null) {
            return new Job(id, type, params, JobStatus.SCHEDULED, attempts, submittedAt, startedAt, null, null,
                    outcome.error(), idempotencyKey, instance, cancelRequested, options.at(outcome.retryAt()),
                    failures + 1);
        }
        return new Job(id, type, params, outcome.status(), attempts, submittedAt, startedAt, outcome.finishedAt(),
                outcome.result(), outcome.error(), idempotencyKey, instance, cancelRequested, options,
                outcome.status() == JobStatus.FAILED ? failures + 1 : failures);
    }

    /** Whether a failed run of this job is tried again: it has retries left. */
    public boolean mayRetry() {
        return failures < options.retries();
    }
}
