package dev.quiesce.pool;

import java.time.Duration;
import java.util.Optional;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;

/**
 * The drain admission rule: once a drain has begun, a queued job may start only if its expected run time fits
 * the time the drain has left. The expected run time is its type's own estimate, else the 90th percentile of the
 * type's recent successful runs; a job with neither is admitted.
 *
 * <p>Threads: any; the drain's deadline is published through a {@code volatile} field.
 */
final class DrainAdmission {

    private final JobTypes types;
    private final RunTimes runTimes;
    /** The drain's deadline; null until a drain begins. */
    private volatile Deadline claimDeadline;

    DrainAdmission(JobTypes types, RunTimes runTimes) {
        this.types = types;
        this.runTimes = runTimes;
    }

    /** A drain began: from now on jobs are admitted against {@code deadline}. */
    void begin(Deadline deadline) {
        claimDeadline = deadline;
    }

    /** The drain's deadline, or null while no drain has begun. */
    Deadline deadline() {
        return claimDeadline;
    }

    /** How long {@code job} is expected to run: its type's estimate, else the type's recent p90, else unknown. */
    Optional<Duration> expected(Job job) {
        return types.expectedDuration(job).or(() -> runTimes.p90(job.type()));
    }

    /** The drain admission rule: start a queued job only if its expected run time fits the time left. */
    boolean fitsBeforeDeadline(Job job) {
        Deadline deadline = claimDeadline;
        if (deadline == null) {
            return true;
        }
        Optional<Duration> expected = expected(job);
        return expected.isEmpty() || expected.get().compareTo(deadline.remaining()) <= 0;
    }
}
