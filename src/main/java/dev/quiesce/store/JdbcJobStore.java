package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.query;
import static dev.quiesce.store.JobRows.queryOne;
import static dev.quiesce.store.JobRows.queryString;
import static dev.quiesce.store.JobRows.update;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.lifecycle.PhaseState;
import dev.quiesce.lifecycle.PhaseStatus;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.lifecycle.ShutdownReportStore;
import dev.quiesce.lifecycle.StoreHealth;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JDBC job store: every write goes through the {@link StoreWriter}'s group commit; reads use the pool's
 * other connections (SQLite's WAL keeps readers off the writer's lock).
 *
 * <p>Every call waits on the database at most the store's timeout (or the shorter bound its caller gives):
 * reads run on a small pool of reader threads and the caller waits for the answer with a timeout, so a
 * database that stalls answers {@link StoreUnavailableException} in bounded time instead of holding the
 * caller. Each answer, or its absence, is told to {@link StoreHealth}.
 */
final class JdbcJobStore implements JobStore, ShutdownReportStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcJobStore.class);

    private static final String POISON_ERROR = "poison job: started %d times without finishing";
    private static final String INSERT = "INSERT INTO jobs (id, type, params, status, attempts, submitted_at, "
            + "idempotency_key, request_hash) VALUES (?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT DO NOTHING";

    /**
     * Reads that may wait on the database at once; more wait in a short queue, more still are refused. Fewer
     * than the connection pool holds (8 for SQLite, 10 for PostgreSQL), so that reads never take the last
     * connections from the writer and the listener.
     */
    private static final int READERS = 4;
    private static final int READS_WAITING = 1024;

    private final DataSource dataSource;
    private final SqlDialect dialect;
    private final StoreWriter writer;
    private final JsonMapper json;
    private final StoreHealth health;
    private final Duration timeout;
    private final ThreadPoolExecutor readers;
    private final QueuedJobs queued;
    private final List<NewWorkListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile boolean closed;

    JdbcJobStore(DataSource dataSource, SqlDialect dialect, int maxBatch, JsonMapper json, Clock clock,
            StoreHealth health, Duration timeout) {
        this.dataSource = dataSource;
        this.dialect = dialect;
        this.writer = new StoreWriter(dataSource, maxBatch);
        this.json = json;
        this.health = health;
        this.timeout = timeout;
        this.queued = new QueuedJobs(dialect, clock);
        AtomicInteger readerNumber = new AtomicInteger();
        this.readers = new ThreadPoolExecutor(READERS, READERS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(READS_WAITING), task -> {
                    Thread reader = new Thread(task, "quiesce-store-reader-" + readerNumber.incrementAndGet());
                    reader.setDaemon(true);
                    return reader;
                });
        this.readers.allowCoreThreadTimeOut(true);
    }

    @Override
    public Duration timeout() {
        return timeout;
    }

    @Override
    public InsertResult insert(NewJob job, int queueCapacity) {
        return write(tx -> {
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
        }, timeout, null);
    }

    private static String requestHash(Connection connection, String id) throws SQLException {
        return queryString(connection, "SELECT request_hash FROM jobs WHERE id = ?", id).orElse(null);
    }

    @Override
    public Optional<Job> find(String id) {
        return read(connection -> queryOne(connection, SELECT + " WHERE id = ?", id));
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
        return read(connection -> query(connection, sql.toString(), args.toArray()));
    }

    @Override
    public ClaimResult claim(ClaimRequest request) {
        // A claim that commits after its worker stopped waiting would leave jobs RUNNING that no worker runs:
        // put them back as soon as the late commit is known.
        return write(tx -> {
            List<Job> candidates = query(tx.connection, SELECT + " WHERE status = ? "
                    + "ORDER BY id LIMIT ?" + dialect.claimLockClause(), JobStatus.QUEUED.name(),
                    Math.max(request.max(), request.scanLimit()));
            List<Job> started = new ArrayList<>();
            List<Job> poisoned = new ArrayList<>();
            for (Job candidate : candidates) {
                if (started.size() >= request.max()) {
                    break;
                }
                if (candidate.attempts() >= request.maxAttempts()) {
                    poisoned.add(fail(tx.connection, candidate, request.now(),
                            String.format(POISON_ERROR, candidate.attempts())));
                } else if (request.admit().test(candidate)) {
                    started.add(start(tx.connection, candidate, request));
                }
            }
            queued.removed(tx, started.size() + poisoned.size());
            return started.isEmpty() && poisoned.isEmpty() ? ClaimResult.NONE : new ClaimResult(started, poisoned);
        }, request.bound() == null ? timeout : request.bound(), late -> {
            if (!late.started().isEmpty()) {
                log.warn("A claim of {} job(s) committed after its worker stopped waiting; putting them back",
                        late.started().size());
                writer.enqueue(tx -> releaseIn(tx, request.owner(), late.started()));
            }
        });
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

    private static Job fail(Connection connection, Job job, Instant now, String error) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE jobs SET status = ?, finished_at = ?, "
                + "error = ?, owner = NULL, lease_until = NULL WHERE id = ?")) {
            update.setString(1, JobStatus.FAILED.name());
            update.setLong(2, now.toEpochMilli());
            update.setString(3, error);
            update.setString(4, job.id());
            update.executeUpdate();
        }
        log.warn("Job {} ({}) failed as poison: {}", job.id(), job.type(), error);
        return new Job(job.id(), job.type(), job.params(), JobStatus.FAILED, job.attempts(), job.submittedAt(),
                job.startedAt(), now, null, error, job.idempotencyKey(), job.instance(), job.cancelRequested());
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
        List<Object> answers = writer.executeEach(works, wait);
        int rows = 0;
        List<FinishedJob> done = new ArrayList<>();
        List<FinishedJob> rejected = new ArrayList<>();
        List<FinishedJob> unwritten = new ArrayList<>();
        StoreUnavailableException fault = null;
        for (int i = 0; i < outcomes.size(); i++) {
            Object answer = answers.get(i);
            if (answer instanceof StoreUnavailableException unavailable) {
                unwritten.add(outcomes.get(i));
                fault = unavailable;
            } else if (answer instanceof RuntimeException refused) {
                log.warn("The store refused the outcome of job {}: {}", outcomes.get(i).id(), refused.getMessage());
                rejected.add(outcomes.get(i));
            } else {
                rows += (Integer) answer;
                done.add(outcomes.get(i));
            }
        }
        if (fault != null) {
            storeFault(fault);
        } else {
            health.answered();
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
        return write(tx -> releaseIn(tx, owner, claimed), wait, null);
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
        return write(tx -> {
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
        }, timeout, null);
    }

    @Override
    public int recoverAbandoned(Instant now, int maxAttempts) {
        return requeueRunning(now, maxAttempts, dialect.singleInstance());
    }

    @Override
    public int takeOverExpiredLeases(Instant now, int maxAttempts) {
        return requeueRunning(now, maxAttempts, false);
    }

    private int requeueRunning(Instant now, int maxAttempts, boolean all) {
        return write(tx -> {
            String which = all ? "status = ?" : "status = ? AND lease_until < " + now.toEpochMilli();
            int poisoned = update(tx.connection, "UPDATE jobs SET status = ?, finished_at = ?, error = 'poison job: "
                    + "started ' || attempts || ' times without finishing', owner = NULL, lease_until = NULL WHERE "
                    + which + " AND attempts >= ?", JobStatus.FAILED.name(), now.toEpochMilli(),
                    JobStatus.RUNNING.name(), maxAttempts);
            int requeued = update(tx.connection, "UPDATE jobs SET status = ?, owner = NULL, lease_until = NULL WHERE "
                    + which, JobStatus.QUEUED.name(), JobStatus.RUNNING.name());
            if (poisoned + requeued > 0) {
                log.info("Took over jobs left running by {}: {} requeued, {} failed as poison",
                        all ? "a stopped process" : "instances whose lease ran out", requeued, poisoned);
            }
            queued.added(tx, requeued);
            return requeued + poisoned;
        }, timeout, null);
    }

    @Override
    public LeaseRenewal renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil) {
        if (jobIds.isEmpty()) {
            return new LeaseRenewal(Set.of(), Set.of());
        }
        return write(tx -> {
            Set<String> kept = new HashSet<>();
            Set<String> cancel = new HashSet<>();
            try (PreparedStatement renew = tx.connection.prepareStatement("UPDATE jobs SET lease_until = ? "
                    + "WHERE id = ? AND owner = ? AND status = ?");
                    PreparedStatement check = tx.connection.prepareStatement(
                            "SELECT cancel_requested FROM jobs WHERE id = ?")) {
                for (String id : jobIds) {
                    renew.setLong(1, leaseUntil.toEpochMilli());
                    renew.setString(2, id);
                    renew.setString(3, owner);
                    renew.setString(4, JobStatus.RUNNING.name());
                    if (renew.executeUpdate() == 0) {
                        continue;
                    }
                    kept.add(id);
                    check.setString(1, id);
                    try (ResultSet row = check.executeQuery()) {
                        if (row.next() && row.getInt(1) != 0) {
                            cancel.add(id);
                        }
                    }
                }
            }
            return new LeaseRenewal(kept, cancel);
        }, timeout, null);
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
        return write(tx -> update(tx.connection, "DELETE FROM jobs WHERE id IN (SELECT id FROM jobs "
                + "WHERE finished_at < ? AND status IN (?, ?, ?) LIMIT ?)", cutoff.toEpochMilli(),
                JobStatus.SUCCEEDED.name(), JobStatus.FAILED.name(), JobStatus.CANCELLED.name(), max), timeout, null);
    }

    @Override
    public long countQueued() {
        return read(QueuedJobs::count);
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
        write(queued::count, StoreProbe.lookWait(timeout), null);
    }

    @Override
    public void save(ShutdownReport report, Duration wait) {
        String body = json.writeValueAsString(report);
        write(tx -> update(tx.connection,
                "INSERT INTO shutdown_reports (instance, started_at, report) VALUES (?, ?, ?)", report.instance(),
                report.startedAt().toEpochMilli(), body), wait, null);
    }

    /** The report as one line of JSON, for the log. */
    String toJson(ShutdownReport report) {
        return json.writeValueAsString(report);
    }

    /**
     * Serializes a report once, off the stop's path: the first serialization builds Jackson's serializers for
     * the report's types (~15 ms on a cold JVM), which would otherwise sit between the last phase and the exit.
     */
    void warmUpReports() {
        json.writeValueAsString(new ShutdownReport("warm-up", true, 0, Instant.EPOCH, 0, 0, 0, 0, List.of(
                new PhaseStatus("store", PhaseState.DONE, Instant.EPOCH, Instant.EPOCH, 0L,
                        Map.of("n", 0L)))));
    }

    @Override
    public Optional<ShutdownReport> latest(String instance) {
        Optional<String> own = read(connection -> queryString(connection,
                "SELECT report FROM shutdown_reports WHERE instance = ? ORDER BY started_at DESC LIMIT 1", instance));
        Optional<String> any = own.isPresent() ? own : read(connection -> queryString(connection,
                "SELECT report FROM shutdown_reports ORDER BY started_at DESC LIMIT 1"));
        return any.map(text -> json.readValue(text, ShutdownReport.class));
    }

    @Override
    public void close(long waitMillis) {
        closed = true;
        listeners.forEach(NewWorkListener::close);
        writer.closeWithin(waitMillis);
        readers.shutdownNow();
    }

    // --- bounded calls ---

    /** Runs {@code work} in the writer's next group commit, waiting at most {@code wait}. */
    private <T> T write(StoreWriter.Work<T> work, Duration wait, Consumer<? super T> lateCommit) {
        try {
            T value = writer.execute(work, wait, lateCommit);
            health.answered();
            return value;
        } catch (StoreUnavailableException e) {
            storeFault(e);
            throw e;
        } catch (StoreRejectedException e) {
            health.answered(); // the store works: it refused this piece alone
            throw e;
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on a reader thread and waits for its answer at most the store's timeout. */
    private <T> T read(Read<T> work) {
        if (closed) {
            throw new StoreUnavailableException("the store is closed");
        }
        Future<T> answer;
        try {
            answer = readers.submit(() -> {
                try (Connection connection = dataSource.getConnection()) {
                    return work.run(connection);
                }
            });
        } catch (RejectedExecutionException e) {
            throw new StoreUnavailableException("too many reads are waiting for the store");
        }
        try {
            T value = answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            health.answered();
            return value;
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw storeFault(new StoreUnavailableException("the store did not answer a read within "
                    + timeout.toMillis() + " ms"));
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the store");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SQLException sql) {
                StoreUnavailableException failed = new StoreUnavailableException(
                        "store read failed: " + sql.getMessage(), sql);
                if (StoreFaults.isFault(sql)) {
                    storeFault(failed);
                }
                throw failed;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailableException("store read failed: " + cause, cause);
        }
    }

    /** Tells {@link StoreHealth} of a call the store did not serve, unless the store was closed or we were interrupted. */
    private StoreUnavailableException storeFault(StoreUnavailableException e) {
        if (e.storeFault() && !closed && !Thread.currentThread().isInterrupted()) {
            health.fault(e.getMessage());
        }
        return e;
    }
}
