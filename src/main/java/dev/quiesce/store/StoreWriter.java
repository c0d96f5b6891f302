package dev.quiesce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the one thread that writes. Callers hand it work and wait; it takes everything waiting, runs
 * it in one transaction, commits once, and only then answers every caller. One disk sync serves many
 * requests, so durable throughput grows with concurrency, and SQLite never sees two writers.
 *
 * <p>One failing piece must not undo the others. Failures are rare, so a batch first runs without
 * savepoints (a SAVEPOINT and a RELEASE per piece cost more than the piece itself); only when a piece fails is
 * the whole transaction rolled back and the batch run again, each piece under its own savepoint.
 */
final class StoreWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

    /** One piece of work inside a shared transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /** What a piece of work sees: the connection, and values cached for the length of one transaction. */
    static final class Tx implements AutoCloseable {
        final Connection connection;
        /** QUEUED jobs as counted in this transaction, kept current by the work that changes it; -1 unknown. */
        long queued = -1;
        /** Whether this transaction already told other instances about new work. */
        boolean announced;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Tx(Connection connection) {
            this.connection = connection;
        }

        /**
         * A statement prepared once per transaction and shared by every piece of the batch (preparing costs
         * about as much as running a small insert). The transaction closes it: callers must not.
         */
        PreparedStatement statement(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            } else {
                statement.clearParameters();
            }
            return statement;
        }

        @Override
        public void close() {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    log.debug("Closing a statement failed", e);
                }
            }
            statements.clear();
        }
    }

    private record Task<T>(Work<T> work, CompletableFuture<T> answer) {
    }

    /** Put in the queue by {@link #closeWithin} so that the writer notices the close at once. */
    private static final Task<Void> WAKE = new Task<>(tx -> null, new CompletableFuture<>());

    private final DataSource dataSource;
    private final int maxBatch;
    private final BlockingQueue<Task<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    StoreWriter(DataSource dataSource, int maxBatch) {
        this.dataSource = dataSource;
        this.maxBatch = maxBatch;
        this.thread = new Thread(this::loop, "quiesce-store-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code work} in the next group commit and waits for the commit. */
    <T> T execute(Work<T> work) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (closed) {
            throw new StoreUnavailableException("the store is closed");
        }
        queue.add(new Task<>(work, answer));
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted while waiting for the store");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailableException("store write failed: " + e.getCause(), e.getCause());
        }
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                batch.removeIf(task -> task == WAKE);
                if (batch.isEmpty()) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                runBatch(batch);
            } catch (Error e) {
                // Never leave callers waiting on a writer that died: fail them, then let the error go on.
                StoreUnavailableException failure = new StoreUnavailableException("store writer failed: " + e, e);
                closed = true;
                batch.forEach(task -> task.answer().completeExceptionally(failure));
                queue.forEach(task -> task.answer().completeExceptionally(failure));
                throw e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Task<?>> batch) {
        List<Object> results;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                results = runAll(connection, batch, false);
                if (results == null) {
                    // A piece failed: undo the batch and run it again, each piece under its own savepoint.
                    connection.rollback();
                    results = runAll(connection, batch, true);
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Store commit of {} writes failed: {}", batch.size(), e.toString());
            StoreUnavailableException failure = new StoreUnavailableException("store commit failed: " + e, e);
            batch.forEach(task -> task.answer().completeExceptionally(failure));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), results.get(i));
        }
    }

    /**
     * Runs every piece in the open transaction.
     *
     * @return each piece's value or {@link Failed}; without savepoints, null as soon as one piece fails (the
     *         transaction must then be rolled back: the failed piece may have written half its work)
     */
    private static List<Object> runAll(Connection connection, List<Task<?>> batch, boolean savepoints)
            throws SQLException {
        List<Object> results = new ArrayList<>(batch.size());
        try (Tx tx = new Tx(connection)) {
            for (Task<?> task : batch) {
                if (savepoints) {
                    results.add(runOne(tx, task));
                } else {
                    try {
                        results.add(task.work().run(tx));
                    } catch (SQLException | RuntimeException e) {
                        return null;
                    }
                }
            }
        }
        return results;
    }

    /** Returns the work's value, or the exception it threw (answered after the commit). */
    private static Object runOne(Tx tx, Task<?> task) throws SQLException {
        Savepoint savepoint = tx.connection.setSavepoint();
        long queuedBefore = tx.queued;
        try {
            Object value = task.work().run(tx);
            tx.connection.releaseSavepoint(savepoint);
            return value;
        } catch (SQLException | RuntimeException e) {
            tx.connection.rollback(savepoint);
            tx.queued = queuedBefore;
            return new Failed(e);
        }
    }

    private record Failed(Exception error) {
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result) {
        if (result instanceof Failed failed) {
            Exception error = failed.error();
            task.answer().completeExceptionally(error instanceof RuntimeException ? error
                    : new StoreUnavailableException("store write failed: " + error, error));
        } else {
            task.answer().complete((T) result);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("Rollback failed", e);
        }
    }

    /** Refuses new work, finishes what is queued, and stops the thread (waiting at most {@code waitMillis}). */
    @Override
    public void close() {
        closeWithin(5_000);
    }

    void closeWithin(long waitMillis) {
        closed = true;
        queue.add(WAKE);
        try {
            thread.join(Math.max(1, waitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Task<?> left;
        while ((left = queue.poll()) != null) {
            if (left != WAKE) {
                left.answer().completeExceptionally(new StoreUnavailableException("the store is closed"));
            }
        }
    }
}
