package dev.quiesce.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;

/**
 * The poison rule, its one copy: a job already started {@code maxAttempts} times without finishing (its
 * attempts less its failed runs, which did finish) ends FAILED instead of running again (its runs may be what
 * kills the process). A claim applies it to the QUEUED jobs it looks at, the recovery and the takeover to the
 * RUNNING jobs they would put back; each reads its rows (locked where the database locks rows) and asks here,
 * in the same transaction.
 */
final class PoisonGuard {

    private static final Logger log = LoggerFactory.getLogger(PoisonGuard.class);

    private static final String FAIL = "UPDATE jobs SET status = ?, finished_at = ?, error = ?, owner = NULL, "
            + "lease_until = NULL WHERE id = ? AND status = ?";

    private PoisonGuard() {
    }

    /**
     * Ends {@code job} FAILED if it is poison (and still has the status it was read with).
     *
     * @return the job as failed, or empty if it may run again
     */
    static Optional<Job> failIfPoison(StoreWriter.Tx tx, Job job, int maxAttempts, Instant now)
            throws SQLException {
        // A failed run finished: only the starts that never did count (a job with retries fails and starts again).
        int unfinished = job.unfinishedStarts();
        if (unfinished < maxAttempts) {
            return Optional.empty();
        }
        String error = "poison job: started " + unfinished + " times without finishing";
        PreparedStatement fail = tx.statement(FAIL);
        fail.setString(1, JobStatus.FAILED.name());
        fail.setLong(2, now.toEpochMilli());
        fail.setString(3, error);
        fail.setString(4, job.id());
        fail.setString(5, job.status().name());
        fail.executeUpdate();
        log.warn("Job {} ({}) failed as poison: {}", job.id(), job.type(), error);
        return Optional.of(new Job(job.id(), job.type(), job.params(), JobStatus.FAILED, job.attempts(),
                job.submittedAt(), job.startedAt(), now, null, error, job.idempotencyKey(), job.instance(),
                job.cancelRequested(), job.options(), job.failures(), job.retriedAttempts(), job.retriedFailures()));
    }
}
