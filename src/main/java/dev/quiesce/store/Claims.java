package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.ClaimResult;

/**
 * Claims in SQL: takes the oldest QUEUED jobs for a run (RUNNING under the run's lease, one more attempt),
 * and puts claims that were never started back as if they had not happened.
 */
final class Claims {

    private static final Logger log = LoggerFactory.getLogger(Claims.class);

    private final StoreCalls calls;
    private final QueuedJobs queued;
    private final SqlDialect dialect;

    Claims(StoreCalls calls, QueuedJobs queued, SqlDialect dialect) {
        this.calls = calls;
        this.queued = queued;
        this.dialect = dialect;
    }

    /** See {@link JobStore#claim}. */
    ClaimResult claim(ClaimRequest request) {
        // A claim that commits after its worker stopped waiting would leave jobs RUNNING that no worker runs:
        // put them back as soon as the late commit is known.
        return calls.write(tx -> {
            List<Job> candidates = query(tx.connection, SELECT + " WHERE status = ? "
                    + "ORDER BY id LIMIT ?" + dialect.lockClause(), JobStatus.QUEUED.name(),
                    Math.max(request.max(), request.scanLimit()));
            List<Job> started = new ArrayList<>();
            List<Job> poisoned = new ArrayList<>();
            for (Job candidate : candidates) {
                if (started.size() >= request.max()) {
                    break;
                }
                Optional<Job> poison = PoisonGuard.failIfPoison(tx, candidate, request.maxAttempts(), request.now());
                if (poison.isPresent()) {
                    poisoned.add(poison.get());
                } else if (request.mayStart(candidate)) {
                    started.add(start(tx.connection, candidate, request));
                }
            }
            queued.removed(tx, started.size() + poisoned.size());
            return started.isEmpty() && poisoned.isEmpty() ? ClaimResult.NONE : new ClaimResult(started, poisoned);
        }, request.bound() == null ? calls.timeout() : request.bound(), late -> {
            if (!late.started().isEmpty()) {
                log.warn("A claim of {} job(s) committed after its worker stopped waiting; putting them back",
                        late.started().size());
                calls.enqueue(tx -> releaseIn(tx, request.owner(), late.started()));
            }
        });
    }

    /** See {@link JobStore#oldestQueued}. */
    List<Job> oldestQueued(int limit, Duration wait) {
        return calls.read(connection -> query(connection, SELECT + " WHERE status = ? ORDER BY id LIMIT ?",
                JobStatus.QUEUED.name(), limit), wait);
    }

    private static Job start(Connection connection, Job job, ClaimRequest request) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE jobs SET status = ?, attempts = ?, "
                + "started_at = ?, instance = ?, owner = ?, lease_until = ? WHERE id = ? AND status = ?")) {
            update.setString(1, JobStatus.RUNNING.name());
            update.setInt(2, job.attempts() + 1);
            update.setLong(3, request.now().toEpochMilli());
            update.setString(4, request.instance());
            update.setString(5, request.owner());
            update.setLong(6, request.leaseUntil().toEpochMilli());
            update.setString(7, job.id());
            update.setString(8, JobStatus.QUEUED.name());
            update.executeUpdate();
        }
        return new Job(job.id(), job.type(), job.params(), JobStatus.RUNNING, job.attempts() + 1, job.submittedAt(),
                request.now(), null, null, null, job.idempotencyKey(), request.instance(), job.cancelRequested());
    }

    /** See {@link JobStore#release(String, List, Duration)}. */
    int release(String owner, List<Job> claimed, Duration wait) {
        if (claimed.isEmpty()) {
            return 0;
        }
        return calls.write(tx -> releaseIn(tx, owner, claimed), wait, null);
    }

    private int releaseIn(StoreWriter.Tx tx, String owner, List<Job> claimed) throws SQLException {
        // The right-hand sides read the row as it was: attempts there still counts the claim.
        PreparedStatement release = tx.statement("UPDATE jobs SET status = ?, attempts = attempts - 1, "
                + "started_at = CASE WHEN attempts <= 1 THEN NULL ELSE started_at END, "
                + "instance = CASE WHEN attempts <= 1 THEN NULL ELSE instance END, owner = NULL, "
                + "lease_until = NULL WHERE id = ? AND owner = ? AND status = ?");
        int released = 0;
        for (Job job : claimed) {
            release.setString(1, JobStatus.QUEUED.name());
            release.setString(2, job.id());
            release.setString(3, owner);
            release.setString(4, JobStatus.RUNNING.name());
            released += release.executeUpdate();
        }
        queued.added(tx, released);
        return released;
    }
}
