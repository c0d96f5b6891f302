package dev.quiesce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.QueuedCount;

/**
 * What the store knows of its QUEUED jobs without asking the database: their count, kept in memory and moved
 * by each committed change, and the news of new ones, told to other instances once per transaction.
 */
final class QueuedJobs {

    /** This transaction's view: the QUEUED jobs as counted in it (-1: not counted), and whether it announced. */
    private record InTx(long count, boolean announced) {
    }

    private static final StoreWriter.Key<InTx> IN_TX = new StoreWriter.Key<>(new InTx(-1, false));

    private final SqlDialect dialect;
    private final Clock clock;
    private final AtomicReference<QueuedCount> known = new AtomicReference<>(new QueuedCount(0, null));

    QueuedJobs(SqlDialect dialect, Clock clock) {
        this.dialect = dialect;
        this.clock = clock;
    }

    /** The count as last learnt, and when it was last counted in the database: from memory, never waits. */
    QueuedCount lastKnown() {
        return known.get();
    }

    /** The QUEUED jobs as {@code tx} sees them: counted in the database the first time a transaction asks. */
    long in(StoreWriter.Tx tx) throws SQLException {
        long count = tx.get(IN_TX).count();
        return count >= 0 ? count : count(tx);
    }

    /** Counts the QUEUED jobs in the database; once {@code tx} commits, the count in memory is this one. */
    long count(StoreWriter.Tx tx) throws SQLException {
        long counted = count(tx.connection);
        InTx state = tx.get(IN_TX);
        if (state.count() < 0) {
            tx.put(IN_TX, new InTx(counted, state.announced()));
        }
        Instant at = clock.instant();
        tx.afterCommit(() -> known.set(new QueuedCount(counted, at)));
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
            tx.put(IN_TX, state = new InTx(state.count(), true));
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
        if (state.count() >= 0) {
            tx.put(IN_TX, new InTx(state.count() + change, state.announced()));
        }
        tx.afterCommit(() -> known.updateAndGet(last -> new QueuedCount(Math.max(0, last.count() + change),
                last.at())));
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
