package dev.quiesce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

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
 * the whole transaction rolled back and the batch run again, each piece under its own savepoint. A fault of the
 * store itself (see {@link StoreFaults}) fails the whole batch.
 *
 * <p>Every caller waits a bounded time. A caller whose time runs out before the writer took its work withdraws
 * it: nothing of it is written. One whose work was already taken cannot stop it (the database may still
 * commit it): it learns that the outcome is unconfirmed, and may leave a handler for a late commit.
 */
final class StoreWriter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);

    /** One piece of work inside a shared transaction. */
    @FunctionalInterface
    interface Work<T> {
        T run(Tx tx) throws SQLException;
    }

    /**
     * Names a value that work keeps for the length of one transaction (see {@link Tx#get}). Each user of the
     * writer declares its own keys: the writer knows nothing of what they hold.
     */
    static final class Key<V> {
        private final V initial;

        /** A key whose value is {@code initial} until a piece of the transaction puts another. */
        Key(V initial) {
            this.initial = initial;
        }
    }

    /** What a piece of work sees: the connection, and values kept for the length of one transaction. */
    static final class Tx implements AutoCloseable {
        final Connection connection;
        private final Map<Key<?>, Object> values = new HashMap<>();
        private final Map<String, PreparedStatement> statements = new HashMap<>();
        private final List<Runnable> afterCommit = new ArrayList<>();
        private final List<Runnable> ifCommitFails = new ArrayList<>();

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

        /** The value kept under {@code key} in this transaction, or the key's initial value. */
        @SuppressWarnings("unchecked")
        <V> V get(Key<V> key) {
            return values.containsKey(key) ? (V) values.get(key) : key.initial;
        }

        /**
         * Keeps {@code value} under {@code key} until this transaction ends. Keep values immutable: a piece
         * rolled back to its savepoint puts back the values it replaced, not what was inside them.
         */
        <V> void put(Key<V> key, V value) {
            values.put(key, value);
        }

        /** Runs {@code action} on the writer thread once this transaction has committed (not if it fails). */
        void afterCommit(Runnable action) {
            afterCommit.add(action);
        }

        /**
         * Runs {@code action} on the writer thread if the commit of this transaction fails: the database may then
         * have committed it or not, and the after-commit actions do not run. (A transaction that fails before
         * its commit is rolled back: it needs neither.)
         */
        void ifCommitFails(Runnable action) {
            ifCommitFails.add(action);
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

    /** Where a task is: waiting in the queue, taken by the writer, or withdrawn by its caller. */
    private static final int WAITING = 0;
    private static final int TAKEN = 1;
    private static final int WITHDRAWN = 2;

    private static final class Task<T> {
        final Work<T> work;
        final CompletableFuture<T> answer = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(WAITING);

        Task(Work<T> work) {
            this.work = work;
        }

        boolean take() {
            return state.compareAndSet(WAITING, TAKEN);
        }

        boolean withdraw() {
            return state.compareAndSet(WAITING, WITHDRAWN);
        }
    }

    /** Put in the queue by {@link #closeWithin} so that the writer notices the close at once. */
    private static final Task<Void> WAKE = new Task<>(tx -> null);

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

    /** {@link #execute(Work, Duration, Consumer)} with no handler for a late commit. */
    <T> T execute(Work<T> work, Duration wait) {
        return execute(work, wait, null);
    }

    /**
     * Runs {@code work} in the next group commit and waits for the commit, at most {@code wait}.
     *
     * @param lateCommit called with the work's value if the wait ran out after the writer took the work and the
     *        transaction then committed after all (on the writer thread; on the caller's if the commit came in the
     *        instant between): it must not wait for the writer; may be null
     * @throws StoreUnavailableException if the store failed or did not answer within {@code wait}; its
     *         {@link StoreUnavailableException#unconfirmed()} says whether the work may still commit
     * @throws StoreRejectedException if the database refused this piece of work alone
     */
    <T> T execute(Work<T> work, Duration wait, Consumer<? super T> lateCommit) {
        Task<T> task = new Task<>(work);
        if (closed) {
            throw new StoreUnavailableException("the store is closed");
        }
        queue.add(task);
        return await(task, System.nanoTime() + Math.max(0, wait.toNanos()), wait, lateCommit);
    }

    /**
     * Runs every piece of {@code works} as its own piece of the next group commits (so one refused piece fails
     * alone) and waits for them all, at most {@code wait} in all.
     *
     * @return per piece, in order, its value or the {@link RuntimeException} it failed with; a piece not
     *         answered in time fails with {@link StoreUnavailableException}
     */
    <T> List<Object> executeEach(List<Work<T>> works, Duration wait) {
        if (closed) {
            throw new StoreUnavailableException("the store is closed");
        }
        List<Task<T>> tasks = new ArrayList<>(works.size());
        works.forEach(work -> tasks.add(new Task<>(work)));
        queue.addAll(tasks);
        long until = System.nanoTime() + Math.max(0, wait.toNanos());
        List<Object> results = new ArrayList<>(tasks.size());
        for (Task<T> task : tasks) {
            try {
                results.add(await(task, until, wait, null));
            } catch (RuntimeException e) {
                results.add(e);
            }
        }
        return results;
    }

    /**
     * Waits for {@code task}'s answer until {@code untilNanos} ({@code wait} names the bound in messages). A
     * task queued just as the writer closed is withdrawn at once: {@link #closeWithin} may have emptied the
     * queue before it was added, and nobody would ever answer it.
     */
    private <T> T await(Task<T> task, long untilNanos, Duration wait, Consumer<? super T> lateCommit) {
        if (closed && task.withdraw()) {
            throw new StoreUnavailableException("the store is closed");
        }
        try {
            return task.answer.get(Math.max(0, untilNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw gaveUp(task, "the store did not answer within " + wait.toMillis() + " ms", lateCommit);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw gaveUp(task, "interrupted while waiting for the store", lateCommit);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailableException("store write failed: " + e.getCause(), e.getCause());
        }
    }

    /** Hands {@code work} to the writer without waiting for it (from the writer's own after-commit actions). */
    void enqueue(Work<?> work) {
        if (!closed) {
            queue.add(new Task<>(work));
        }
    }

    /** The caller stops waiting: withdraw the work if the writer has not taken it, else leave the late handler. */
    private static <T> StoreUnavailableException gaveUp(Task<T> task, String why, Consumer<? super T> lateCommit) {
        if (task.withdraw()) {
            return new StoreUnavailableException(why + "; nothing was written");
        }
        if (lateCommit != null) {
            task.answer.thenAccept(lateCommit);
        }
        if (task.answer.isDone() && !task.answer.isCompletedExceptionally()) {
            // answered between the timeout and now: the late handler above has already run
            return new StoreUnavailableException(why + "; it committed meanwhile", null, true);
        }
        return new StoreUnavailableException(why + "; the write may still commit", null, true);
    }

    private void loop() {
        List<Task<?>> batch = new ArrayList<>(maxBatch);
        while (true) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, maxBatch - 1);
                batch.removeIf(task -> task == WAKE || !task.take());
                if (batch.isEmpty()) {
                    if (closed && queue.isEmpty()) {
                        return;
                    }
                    continue;
                }
                runBatch(batch);
                if (closed && queue.isEmpty()) {
                    return; // closed while this batch ran, and its WAKE was drained with it
                }
            } catch (Error e) {
                // Never leave callers waiting on a writer that died: fail them, then let the error go on.
                StoreUnavailableException failure = new StoreUnavailableException("store writer failed: " + e, e);
                closed = true;
                batch.forEach(task -> task.answer.completeExceptionally(failure));
                queue.forEach(task -> task.answer.completeExceptionally(failure));
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
        Batch done = null;
        boolean committing = false;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                done = runAll(connection, batch, false);
                if (done == null) {
                    // A piece failed: undo the batch and run it again, each piece under its own savepoint.
                    connection.rollback();
                    done = runAll(connection, batch, true);
                }
                committing = true;
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection);
                throw e;
            } finally {
                restoreAutoCommit(connection);
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("Store commit of {} writes failed: {}", batch.size(), e.toString());
            // A commit that failed may have reached the database before the connection broke.
            if (committing && done != null) {
                runQuietly(done.ifCommitFails());
            }
            StoreUnavailableException failure = new StoreUnavailableException("store commit failed: " + e, e,
                    committing);
            batch.forEach(task -> task.answer.completeExceptionally(failure));
            return;
        }
        runQuietly(done.afterCommit());
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), done.results().get(i));
        }
    }

    private static void runQuietly(List<Runnable> actions) {
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException e) {
                log.warn("An action after the commit failed: {}", e.toString());
            }
        }
    }

    /** Each piece's value or {@link Failed}, and what to run once the transaction commits, or if its commit fails. */
    private record Batch(List<Object> results, List<Runnable> afterCommit, List<Runnable> ifCommitFails) {
    }

    /**
     * Runs every piece in the open transaction.
     *
     * @return each piece's value or {@link Failed}; without savepoints, null as soon as one piece fails (the
     *         transaction must then be rolled back: the failed piece may have written half its work)
     * @throws SQLException if the store itself failed (the whole batch fails)
     */
    private static Batch runAll(Connection connection, List<Task<?>> batch, boolean savepoints)
            throws SQLException {
        List<Object> results = new ArrayList<>(batch.size());
        try (Tx tx = new Tx(connection)) {
            for (Task<?> task : batch) {
                if (savepoints) {
                    results.add(runOne(tx, task));
                } else {
                    try {
                        results.add(task.work.run(tx));
                    } catch (SQLException e) {
                        if (StoreFaults.isFault(e)) {
                            throw e;
                        }
                        return null;
                    } catch (RuntimeException e) {
                        return null;
                    }
                }
            }
            return new Batch(results, List.copyOf(tx.afterCommit), List.copyOf(tx.ifCommitFails));
        }
    }

    /** Returns the work's value, or the exception it threw (answered after the commit). */
    private static Object runOne(Tx tx, Task<?> task) throws SQLException {
        Savepoint savepoint = tx.connection.setSavepoint();
        Map<Key<?>, Object> valuesBefore = new HashMap<>(tx.values);
        int actionsBefore = tx.afterCommit.size();
        int ifFailsBefore = tx.ifCommitFails.size();
        try {
            Object value = task.work.run(tx);
            tx.connection.releaseSavepoint(savepoint);
            return value;
        } catch (SQLException | RuntimeException e) {
            if (e instanceof SQLException sql && StoreFaults.isFault(sql)) {
                throw sql;
            }
            tx.connection.rollback(savepoint);
            tx.values.clear();
            tx.values.putAll(valuesBefore);
            tx.afterCommit.subList(actionsBefore, tx.afterCommit.size()).clear();
            tx.ifCommitFails.subList(ifFailsBefore, tx.ifCommitFails.size()).clear();
            return new Failed(e);
        }
    }

    private record Failed(Exception error) {
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Task<T> task, Object result) {
        if (result instanceof Failed failed) {
            Exception error = failed.error();
            task.answer.completeExceptionally(error instanceof RuntimeException ? error
                    : new StoreRejectedException("the store refused the write: " + error, error));
        } else {
            task.answer.complete((T) result);
        }
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.debug("Rollback failed", e);
        }
    }

    private static void restoreAutoCommit(Connection connection) {
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            log.debug("Restoring auto-commit failed", e);
        }
    }

    /** {@link #closeWithin} with five seconds to finish. */
    @Override
    public void close() {
        closeWithin(5_000);
    }

    /**
     * Refuses new work and lets the writer finish what it has taken and what is queued, waiting at most
     * {@code waitMillis}; work still queued then is failed (it was never taken: nothing of it is written).
     */
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
            if (left != WAKE && left.withdraw()) {
                left.answer.completeExceptionally(new StoreUnavailableException("the store is closed"));
            }
        }
        // The loop above may have taken the WAKE from a writer still busy with its batch (a store that stalls):
        // put it back, or that writer would wait on the empty queue forever once its batch is done.
        queue.add(WAKE);
    }
}
