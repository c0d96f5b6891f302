package dev.quiesce.jobs;

import java.time.Duration;
import java.time.Instant;

/**
 * The end of one run of a job, on its way to the store: a final status, or a requeue (the run was cut off
 * by shutdown and the job goes back to QUEUED). {@code owner} fences the write: only the run that holds the
 * job may record its end.
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
        String error) {

    public static FinishedJob requeued(Job job, String owner, Instant at, Duration ranFor) {
        return new FinishedJob(job.id(), job.type(), owner, JobStatus.QUEUED, true, at, ranFor, null, null);
    }

    public static FinishedJob ended(Job job, String owner, JobStatus status, Instant at, Duration ranFor,
            String result, String error) {
        if (!status.isTerminal()) {
            throw new IllegalArgumentException("not a final status: " + status);
        }
        return new FinishedJob(job.id(), job.type(), owner, status, false, at, ranFor, result, error);
    }
}
