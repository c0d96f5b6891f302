package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.query;
import static dev.quiesce.store.JobRows.queryOne;
import static dev.quiesce.store.JobRows.queryString;
import static dev.quiesce.store.JobRows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelResult;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;
import dev.quiesce.lifecycle.StoreHealth;

/**
 * The job store in SQL: inserts, reads, cancels and the purge here; claims ({@link Claims}), the ends of runs
 * ({@link Outcomes}) and leases ({@link Leases}) beside it. Each call is one statement or one piece of the
 * group commit, made through {@link StoreCalls}, which bounds every wait on the database and tells
 * {@link StoreHealth} how it answered.
 */
final class JdbcJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcJobStore.class);

    private static final String INSERT = "INSERT INTO jobs (id, type, params, status, attempts, submitted_at, "
            + "idempotency_key, request_hash, run_at, priority, timeout_ms, retries) "
            + "VALUES (?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT DO NOTHING";

    private final StoreCalls calls;
    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final QueuedJobs queued;
    private final Claims claims;
    private final Outcomes outcomes;
    private final Leases leases;
    private final JobActions actions;
    private final List<NewWorkListener> listeners = new CopyOnWriteArrayList<>();

    JdbcJobStore(StoreCalls calls, DataSource dataSource, SqlDialect dialect, Clock clock) {
        this.calls = calls;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.queued = new QueuedJobs(dialect, clock);
        this.claims = new Claims(calls, queued, dialect);
        this.outcomes = new Outcomes(calls, queued);
        this.leases = new Leases(calls, queued, dialect);
        this.actions = new JobActions(calls, queued);
    }

    @Override
    public Duration timeout() {
        return calls.timeout();
    }

    @Override
    public InsertResult insert(NewJob job, int queueCapacity) {
        return calls.write(tx -> {
            if (job.idempotencyKey() != null) {
                Optional<Job> existing = queryOne(tx.connection,
                        SELECT + " WHERE idempotency_key = ?",
                        job.idempotencyKey());
                if (existing.isPresent()) {
                    return sameKey(tx.connection, job, existing.get());
                }
            }
            JobStatus status = job.status();
            // The capacity bounds the QUEUED jobs, the work in hand; jobs for later wait outside it. Far from the
            // capacity this is the count in memory; at the capacity, always one counted in the database.
            long queuedNow = status == JobStatus.QUEUED ? queued.in(tx, queueCapacity) : 0;
            if (queuedNow >= queueCapacity) {
                return new Full(queuedNow);
            }
            RunOptions options = job.options();
            PreparedStatement insert = tx.statement(INSERT);
            insert.setString(1, job.id());
            insert.setString(2, job.type());
            insert.setString(3, job.params());
            insert.setString(4, status.name());
            insert.setLong(5, job.submittedAt().toEpochMilli());
            insert.setString(6, job.idempotencyKey());
            insert.setString(7, job.requestHash());
            if (options.runAt() == null) {
                insert.setNull(8, Types.BIGINT);
            } else {
                insert.setLong(8, options.runAt().toEpochMilli());
            }
            insert.setInt(9, options.priority());
            if (options.timeout() == null) {
                insert.setNull(10, Types.BIGINT);
            } else {
                insert.setLong(10, options.timeout().toMillis());
            }
            insert.setInt(11, options.retries());
            int inserted = insert.executeUpdate();
            if (inserted == 0) {
                // Another instance stored the same key between our look and our insert: answer with its job.
                Job existing = queryOne(tx.connection, SELECT + " WHERE idempotency_key = ?", job.idempotencyKey())
                        .orElseThrow(() -> StoreUnavailableException.conflict(
                                "the idempotency key was taken and released meanwhile"));
                return sameKey(tx.connection, job, existing);
            }
            if (status == JobStatus.QUEUED) {
                queued.added(tx, 1);
            }
            return new Inserted(new Job(job.id(), job.type(), job.params(), status, 0, job.submittedAt(),
                    null, null, null, null, job.idempotencyKey(), null, false, options, 0));
        });
    }

    /** The answer to {@code job} whose idempotency key {@code existing} holds: the same request, or another. */
    private static InsertResult sameKey(Connection connection, NewJob job, Job existing) throws SQLException {
        String hash = queryString(connection, "SELECT request_hash FROM jobs WHERE id = ?", existing.id())
                .orElse(null);
        return job.requestHash().equals(hash) ? new Existing(existing) : new Conflict(existing);
    }

    @Override
    public Optional<Job> find(String id) {
        return calls.read(connection -> queryOne(connection, SELECT + " WHERE id = ?", id));
    }

    @Override
    public List<Job> list(JobStatus status, String type, String beforeId, int limit, Collection<String> alsoIds) {
        StringBuilder sql = new StringBuilder(SELECT);
        List<Object> args = new ArrayList<>();
        if (status != null) {
            sql.append(" WHERE (status = ?");
            args.add(status.name());
            if (!alsoIds.isEmpty()) {
                sql.append(" OR id IN (").append("?, ".repeat(alsoIds.size() - 1)).append("?)");
                args.addAll(alsoIds);
            }
            sql.append(')');
        }
        if (type != null) {
            sql.append(args.isEmpty() ? " WHERE" : " AND").append(" type = ?");
            args.add(type);
        }
        if (beforeId != null) {
            sql.append(args.isEmpty() ? " WHERE" : " AND").append(" id < ?");
            args.add(beforeId);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        args.add(limit);
        return calls.read(connection -> query(connection, sql.toString(), args.toArray()));
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        return claims.claim(request);
    }

    @Override
    public List<Job> nextQueued(int limit, Duration wait) {
        return claims.nextQueued(limit, wait);
    }

    @Override
    public int release(String owner, List<Job> claimed, Duration wait) {
        return claims.release(owner, claimed, wait);
    }

    @Override
    public Recorded record(List<FinishedJob> outcomes, Duration wait) {
        return this.outcomes.record(outcomes, wait);
    }

    /**
     * Decides on the row as it is when written, not as it was read: in a fleet another instance may claim the
     * job between this read and this write, and the update that finds no QUEUED row then reads again.
     */
    @Override
    public CancelResult cancel(String id, Instant now) {
        return calls.write(tx -> {
            for (int look = 0; look < 3; look++) {
                Optional<Job> found = queryOne(tx.connection, SELECT + " WHERE id = ?", id);
                if (found.isEmpty()) {
                    return new CancelResult(CancelOutcome.NOT_FOUND, null);
                }
                Job job = found.get();
                if (job.status().isTerminal()) {
                    return new CancelResult(CancelOutcome.ALREADY_FINISHED, job);
                }
                if (job.status() == JobStatus.QUEUED || job.status() == JobStatus.SCHEDULED) {
                    if (update(tx.connection, "UPDATE jobs SET status = ?, finished_at = ?, error = ? "
                            + "WHERE id = ? AND status = ?", JobStatus.CANCELLED.name(), now.toEpochMilli(),
                            "cancelled by request", id, job.status().name()) == 1) {
                        if (job.status() == JobStatus.QUEUED) {
                            queued.removed(tx, 1);
                        }
                        return new CancelResult(CancelOutcome.CANCELLED, new Job(job.id(), job.type(), job.params(),
                                JobStatus.CANCELLED, job.attempts(), job.submittedAt(), job.startedAt(), now, null,
                                "cancelled by request", job.idempotencyKey(), job.instance(), false, job.options(),
                                job.failures(), job.retriedAttempts(), job.retriedFailures()));
                    }
                } else if (update(tx.connection, "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND status = ?",
                        id, JobStatus.RUNNING.name()) == 1) {
                    // Its owner stops it when it renews the lease; until then the job is RUNNING, as it is.
                    return new CancelResult(CancelOutcome.REQUESTED, job);
                }
            }
            throw StoreUnavailableException.conflict("job " + id + " changed under three attempts to cancel it");
        });
    }

    @Override
    public RetryResult retry(String id, Instant now, Duration wait) {
        return actions.retry(id, now, wait);
    }

    @Override
    public BulkBatch changeBatch(BulkAction action, JobStatus status, String type, String afterId, int max,
            Instant now, Duration wait) {
        return actions.changeBatch(action, status, type, afterId, max, now, wait);
    }

    @Override
    public int recoverAbandoned(Instant now, int maxAttempts) {
        return leases.recoverAbandoned(now, maxAttempts);
    }

    @Override
    public int takeOverExpiredLeases(Instant now, int maxAttempts) {
        return leases.takeOverExpiredLeases(now, maxAttempts);
    }

    @Override
    public LeaseRenewal renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
        return leases.renew(owner, jobIds, leaseUntil);
    }

    @Override
    public void onNewWork(Runnable onNewWork) {
        NewWorkListener listener = dialect.newWorkListener(dataSource, onNewWork);
        if (listener != null) {
            listeners.add(listener);
            listener.start();
        }
    }

    @Override
    public int purgeFinishedBefore(Instant cutoff, int max) {
        return calls.write(tx -> update(tx.connection, "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs "
                + "WHERE finished_at < ? AND status IN (?, ?, ?) LIMIT ?)", cutoff.toEpochMilli(),
                JobStatus.SUCCEEDED.name(), JobStatus.FAILED.name(), JobStatus.CANCELLED.name(), max));
    }

    @Override
    public long countQueued() {
        return calls.read(QueuedJobs::count);
    }

    @Override
    public QueuedCount lastKnownQueued() {
        return queued.lastKnown();
    }

    /**
     * One look at the store: counts the QUEUED jobs through the writer, so that a writer stalled on the database
     * is noticed as well as a database that does not answer, and the count other instances changed is learnt.
     */
    void probe() {
        calls.write(queued::count, StoreProbe.lookWait(calls.timeout()), null);
    }

    @Override
    public void close(long waitMillis) {
        listeners.forEach(NewWorkListener::close);
        calls.close(waitMillis);
    }
}
