package dev.quiesce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.QueuedCount;

/**
 * What the store knows of its QUEUED jobs without asking the database: their count, kept in memory and moved
 * by each committed change, and the news of new ones, told to other instances once per transaction.
 *
 * <p>The queue capacity is checked against the count in memory, and the database counts only when the answer
 * is at stake (see {@link #in}): counting is a scan of the QUEUED rows, and with a backlog of 100,000 jobs it
 * was most of the writer's time when every insert transaction counted. Where one process owns the store every
 * change of a QUEUED job goes through this class, so the count in memory is exact between counts; in a fleet the
 * other instances' changes reach it only with a count, so there it is counted again when it is older than
 * {@link #MAX_AGE}.
 */
final class QueuedJobs {

    /** In a fleet, a count older than this is counted again before the capacity is checked against it. */
    static final Duration MAX_AGE = Duration.ofSeconds(1);

    /**
     * This transaction's view: the QUEUED jobs as counted in it (-1: not counted) and moved since, its own net
     * change to them, and whether it announced new work.
     */
    private record InTx(long count, long change, boolean announced) {
    }

    private static final StoreWriter.Key<InTx> IN_TX = new StoreWriter.Key<>(new InTx(-1, 0, false));

    private final SqlDialect dialect;
    private final Clock clock;
    private final AtomicReference<QueuedCount> known = new AtomicReference<>(new QueuedCount(0, null));
    /**
     * A commit that changed the count failed: the database may hold changes the memory never heard of, so the
     * next check counts. Set and cleared on the writer thread (after a commit, or its failure).
     */
    private volatile boolean inDoubt;

    QueuedJobs(SqlDialect dialect, Clock clock) {
        this.dialect = dialect;
        this.clock = clock;
    }

    /** The count as last learnt, and when it was last counted in the database: from memory, never waits. */
    QueuedCount lastKnown() {
        return known.get();
    }

    /**
     * The QUEUED jobs as {@code tx} sees them, as exactly as checking them against {@code capacity} needs: the
     * count in memory moved by this transaction's own changes, unless the capacity is near (within
     * {@link #margin}), the count in memory was never counted or is in doubt after a failed commit, or (in a
     * fleet) it is older than {@link #MAX_AGE}; then counted in the database, once per transaction. So a count
     * at or over the capacity is always one made in the database.
     */
    long in(StoreWriter.Tx tx, int capacity) throws SQLException {
        InTx state = tx.get(IN_TX);
        if (state.count() >= 0) {
            return state.count();
        }
        QueuedCount last = known.get();
        long inMemory = Math.max(0, last.count() + state.change());
        boolean stale = last.at() == null || inDoubt
                || !dialect.singleInstance() && !clock.instant().isBefore(last.at().plus(MAX_AGE));
        return stale || inMemory >= capacity - margin(capacity) ? count(tx) : inMemory;
    }

    /**
     * How near the capacity the database counts: a twentieth of it, at least one job. Where one process owns the
     * store the count in memory is exact and any margin would do; in a fleet it also absorbs that many of the
     * jobs other instances queued since the last count.
     */
    static long margin(int capacity) {
        return Math.max(1, capacity / 20);
    }

    /** Counts the QUEUED jobs in the database; once {@code tx} commits, the count in memory is this one. */
    long count(StoreWriter.Tx tx) throws SQLException {
        long counted = count(tx.connection);
        InTx state = tx.get(IN_TX);
        if (state.count() < 0) {
            tx.put(IN_TX, new InTx(counted, state.change(), state.announced()));
        }
        Instant at = clock.instant();
        tx.afterCommit(() -> {
            known.set(new QueuedCount(counted, at));
            inDoubt = false;
        });
        return counted;
    }

    /** {@code added} jobs became QUEUED in {@code tx}: other instances hear of it, and the count follows, on commit. */
    void added(StoreWriter.Tx tx, long added) throws SQLException {
        if (added <= 0) {
            return;
        }
        InTx state = tx.get(IN_TX);
        if (!state.announced()) {
            dialect.announceNewWork(tx.connection);
            tx.put(IN_TX, state = new InTx(state.count(), state.change(), true));
        }
        changed(tx, state, added);
    }

    /** {@code removed} QUEUED jobs were started, failed or cancelled in {@code tx}; the count follows on commit. */
    void removed(StoreWriter.Tx tx, long removed) {
        if (removed > 0) {
            changed(tx, tx.get(IN_TX), -removed);
        }
    }

    private void changed(StoreWriter.Tx tx, InTx state, long change) {
        tx.put(IN_TX, new InTx(state.count() >= 0 ? state.count() + change : -1, state.change() + change,
                state.announced()));
        tx.afterCommit(() -> known.updateAndGet(last -> new QueuedCount(Math.max(0, last.count() + change),
                last.at())));
        tx.ifCommitFails(() -> inDoubt = true);
    }

    static long count(Connection connection) throws SQLException {
        try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM jobs WHERE status = ?")) {
            count.setString(1, JobStatus.QUEUED.name());
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}
