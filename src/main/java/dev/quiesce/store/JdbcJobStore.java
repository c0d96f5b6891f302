package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.query;
import static dev.quiesce.store.JobRows.queryOne;
import static dev.quiesce.store.JobRows.queryString;
import static dev.quiesce.store.JobRows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.lifecycle.StoreHealth;

/**
 * The job store in SQL: each call is one statement or one piece of the group commit, made through
 * {@link StoreCalls}, which bounds every wait on the database and tells {@link StoreHealth} how it answered.
 */
final class JdbcJobStore implements JobStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcJobStore.class);

    private static final String INSERT = "INSERT INTO jobs (id, type, params, status, attempts, submitted_at, "
            + "idempotency_key, request_hash) VALUES (?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING";

    private final StoreCalls calls;
    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final QueuedJobs queued;
    private final Leases leases;
    private final List<NewWorkListener> listeners = new CopyOnWriteArrayList<>();

    JdbcJobStore(StoreCalls calls, DataSource dataSource, SqlDialect dialect, Clock clock) {
        this.calls = calls;
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.queued = new QueuedJobs(dialect, clock);
        this.leases = new Leases(calls, queued, dialect);
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
                    String hash = requestHash(tx.connection, existing.get().id());
                    return job.requestHash().equals(hash) ? new Existing(existing.get()) : new Conflict(existing.get());
                }
            }
            long queuedNow = queued.in(tx);
            if (queuedNow >= queueCapacity) {
                return new Full(queuedNow);
            }
            PreparedStatement insert = tx.statement(INSERT);
            insert.setString(1, job.id());
            insert.setString(2, job.type());
            insert.setString(3, job.params());
            insert.setString(4, JobStatus.QUEUED.name());
            insert.setLong(5, job.submittedAt().toEpochMilli());
            insert.setString(6, job.idempotencyKey());
            insert.setString(7, job.requestHash());
            int inserted = insert.executeUpdate();
            if (inserted == 0) {
                // Another instance stored the same key between our look and our insert: answer with its job.
                Job existing = queryOne(tx.connection, SELECT + " WHERE idempotency_key = ?",
                        job.idempotencyKey()).orElseThrow(() -> StoreUnavailableException.conflict("the idempotency key was taken and released meanwhile"));
                String hash = requestHash(tx.connection, existing.id());
                return job.requestHash().equals(hash) ? new Existing(existing) : new Conflict(existing);
            }
            queued.added(tx, 1);
            return new Inserted(new Job(job.id(), job.type(), job.params(), JobStatus.QUEUED, 0, job.submittedAt(),
                    null, null, null, null, job.idempotencyKey(), null, false));
        });
    }

    private static String requestHash(Connection connection, String id) throws SQLException {
        return queryString(connection, "SELECT request_hash FROM jobs WHERE id = ?", id).orElse(null);
    }

    @Override
    public Optional<Job> find(String id) {
        return calls.read(connection -> queryOne(connection, SELECT + " WHERE id = ?", id));
    }

    @Override
    public List<Job> list(JobStatus status, String beforeId, int limit, Collection<String> alsoIds) {
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

    @Override
    public List<Job> oldestQueued(int limit, Duration wait) {
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

    private static final String END = "UPDATE jobs SET status = ?, finished_at = ?, result = ?, error = ?, "
            + "owner = NULL, lease_until = NULL WHERE id = ? AND owner = ? AND status = ?";
    private static final String REQUEUE = "UPDATE jobs SET status = ?, owner = NULL, lease_until = NULL "
            + "WHERE id = ? AND owner = ? AND status = ?";

    @Override
    public Recorded record(List<FinishedJob> outcomes, Duration wait) {
        if (outcomes.isEmpty()) {
            return new Recorded(0, List.of(), List.of(), List.of());
        }
        // Each outcome is a piece of its own in the group commit: one the database refuses fails alone.
        List<StoreWriter.Work<Integer>> works = new ArrayList<>(outcomes.size());
        outcomes.forEach(outcome -> works.add(tx -> recordIn(tx, outcome)));
        List<Object> answers = calls.writeEach(works, wait);
        int rows = 0;
        List<FinishedJob> done = new ArrayList<>();
        List<FinishedJob> rejected = new ArrayList<>();
        List<FinishedJob> unwritten = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Object answer = answers.get(i);
            if (answer instanceof StoreUnavailableException) {
                unwritten.add(outcomes.get(i));
            } else if (answer instanceof RuntimeException refused) {
                log.warn("The store refused the outcome of job {}: {}", outcomes.get(i).id(), refused.getMessage());
                rejected.add(outcomes.get(i));
            } else {
                rows += (Integer) answer;
                done.add(outcomes.get(i));
            }
        }
        return new Recorded(rows, done, rejected, unwritten);
    }

    private int recordIn(StoreWriter.Tx tx, FinishedJob outcome) throws SQLException {
        PreparedStatement update;
        if (outcome.requeue()) {
            update = tx.statement(REQUEUE);
            update.setString(1, JobStatus.QUEUED.name());
            update.setString(2, outcome.id());
            update.setString(3, outcome.owner());
            update.setString(4, JobStatus.RUNNING.name());
        } else {
            update = tx.statement(END);
            update.setString(1, outcome.status().name());
            update.setLong(2, outcome.finishedAt().toEpochMilli());
            update.setString(3, outcome.result());
            update.setString(4, outcome.error());
            update.setString(5, outcome.id());
            update.setString(6, outcome.owner());
            update.setString(7, JobStatus.RUNNING.name());
        }
        int rows = update.executeUpdate();
        if (rows == 0) {
            log.warn("Outcome of job {} not written: its run no longer owns it", outcome.id());
        } else if (outcome.requeue()) {
            queued.added(tx, 1);
        }
        return rows;
    }

    @Override
    public int release(String owner, List<Job> claimed, Duration wait) {
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
                if (job.status() == JobStatus.QUEUED) {
                    if (update(tx.connection, "UPDATE jobs SET status = ?, finished_at = ?, error = ? "
                            + "WHERE id = ? AND status = ?", JobStatus.CANCELLED.name(), now.toEpochMilli(),
                            "cancelled by request", id, JobStatus.QUEUED.name()) == 1) {
                        queued.removed(tx, 1);
                        return new CancelResult(CancelOutcome.CANCELLED, new Job(job.id(), job.type(), job.params(),
                                JobStatus.CANCELLED, job.attempts(), job.submittedAt(), job.startedAt(), now, null,
                                "cancelled by request", job.idempotencyKey(), job.instance(), false));
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
