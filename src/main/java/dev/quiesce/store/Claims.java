package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.query;
import static dev.quiesce.store.JobRows.update;

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
 * Claims in SQL: moves due SCHEDULED jobs to QUEUED, takes the QUEUED jobs of highest priority, oldest first, for a run (RUNNING under the run's lease, one more attempt),
 * and puts claims that were never started back as if they had not happened.
 */
final class Claims {

    private static final Logger log = LoggerFactory.getLogger(Claims.class);

    /**
     * The claim order: by priority, then age. The status is a literal so the partial index
     * {@code jobs_claim_order} serves the query on both databases.
     */
    private static final String NEXT_QUEUED = " WHERE status = 'QUEUED' ORDER BY priority DESC, id LIMIT ?";
    /**
     * SCHEDULED jobs whose time has come become QUEUED, the earliest first, in the claim's transaction: each once,
     * whichever instance's claim comes first (the status is the fence). A probe of {@code jobs_due}.
     */
    private static final String PROMOTE = "UPDATE jobs SET status = 'QUEUED' WHERE id IN (SELECT id FROM jobs "
            + "WHERE status = 'SCHEDULED' AND run_at <= ? ORDER BY run_at LIMIT ?";
    private static final String START = "UPDATE jobs SET status = ?, attempts = ?, started_at = ?, instance = ?, "
            + "owner = ?, lease_until = ? WHERE id = ? AND status = ?";
    /** At most this many due jobs move per claim: a backlog of them moves over a few claims, none held long. */
    private static final int PROMOTE_AT_ONCE = 1000;

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
            queued.added(tx, update(tx.connection, PROMOTE + dialect.lockClause() + ")", request.now().toEpochMilli(),
                    PROMOTE_AT_ONCE));
            List<Job> candidates = query(tx.connection, SELECT + NEXT_QUEUED + dialect.lockClause(),
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
                    started.add(started(candidate, request));
                }
            }
            start(tx, started, request);
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

    /** See {@link JobStore#nextQueued}. */
    List<Job> nextQueued(int limit, Duration wait) {
        return calls.read(connection -> query(connection, SELECT + NEXT_QUEUED, limit), wait);
    }

    /**
     * Marks {@code jobs} RUNNING under the request's run, in one batch (one round trip to PostgreSQL): the
     * candidates were read under the claim's lock, so each is still QUEUED.
     */
    private static void start(StoreWriter.Tx tx, List<Job> jobs, ClaimRequest request) throws SQLException {
        if (jobs.isEmpty()) {
            return;
        }
        PreparedStatement update = tx.statement(START);
        for (Job job : jobs) {
            update.setString(1, JobStatus.RUNNING.name());
            update.setInt(2, job.attempts());
            update.setLong(3, request.now().toEpochMilli());
            update.setString(4, request.instance());
            update.setString(5, request.owner());
            update.setLong(6, request.leaseUntil().toEpochMilli());
            update.setString(7, job.id());
            update.setString(8, JobStatus.QUEUED.name());
            update.addBatch();
        }
        update.executeBatch();
    }

    /** {@code job} as its claim makes it: RUNNING under the request's run, one more attempt. */
    private static Job started(Job job, ClaimRequest request) {
        return new Job(job.id(), job.type(), job.params(), JobStatus.RUNNING, job.attempts() + 1, job.submittedAt(),
                request.now(), null, null, null, job.idempotencyKey(), request.instance(), job.cancelRequested(),
                job.options(), job.failures(), job.retriedAttempts(), job.retriedFailures());
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
