package dev.quiesce.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * The end of one run of a job, on its way to the store: a final status; a requeue (the run was cut off by a
 * stop and the job goes back to QUEUED); or a retry (the run failed, and the job waits SCHEDULED until
 * {@code retryAt}, {@code error} holding the failure). {@code owner} fences the write: only the run that holds
 * the job may record its end.
 */
public record FinishedJob(
        String id,
        String type,
        String owner,
        JobStatus status,
        boolean requeue,
        Instant finishedAt,
        Duration ranFor,
        String result,
        String error,
        Instant retryAt) {

    public static FinishedJob requeued(Job job, String owner, Instant at, Duration ranFor) {
        return new FinishedJob(job.id(), job.type(), owner, JobStatus.QUEUED, true, at, ranFor, null, null, null);
    }

    public static FinishedJob ended(Job job, String owner, JobStatus status, Instant at, Duration ranFor,
            String result, String error) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("not a final status: " + status);
        }
        return new FinishedJob(job.id(), job.type(), owner, status, false, at, ranFor, result, error, null);
    }

    /** A failed run of a job with retries left: SCHEDULED again, due at {@code retryAt}. */
    public static FinishedJob retried(Job job, String owner, Instant at, Duration ranFor, String error,
            Instant retryAt) {
        return new FinishedJob(job.id(), job.type(), owner, JobStatus.SCHEDULED, false, at, ranFor, null, error,
                retryAt);
    }

    /** Whether this run failed: it ended FAILED, or failed and will be tried again. */
    public boolean failedRun() {
        return status == JobStatus.FAILED || retryAt != null;
    }
}
