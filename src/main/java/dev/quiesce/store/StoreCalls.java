package dev.quiesce.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
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

import dev.quiesce.lifecycle.StoreHealth;

/**
 * Every call the store makes to the database, bounded: writes through the {@link StoreWriter}'s group commit,
 * reads on a small pool of reader threads (SQLite's WAL keeps them off the writer's lock). The caller waits
 * for the answer at most the store's timeout (or the shorter bound it gives), so a database that stalls
 * answers {@link StoreUnavailableException} in bounded time instead of holding the caller. Each answer, or its
 * absence, is told to {@link StoreHealth}. Thread-safe.
 */
final class StoreCalls {

    /**
     * Reads that may wait on the database at once; more wait in a short queue, more still are refused. Fewer
     * than the connection pool holds (8 for SQLite, 10 for PostgreSQL), so that reads never take the last
     * connections from the writer and the listener.
     */
    private static final int READERS = 4;
    private static final int READS_WAITING = 1024;

    /** A read on a connection of its own (autocommit). */
    @FunctionalInterface
    interface Read<T> {
        T run(Connection connection) throws SQLException;
    }

    private final DataSource dataSource;
    private final StoreWriter writer;
    private final StoreHealth health;
    private final Duration timeout;
    private final ThreadPoolExecutor readers;
    private volatile boolean closed;

    StoreCalls(DataSource dataSource, int maxBatch, StoreHealth health, Duration timeout) {
        this.dataSource = dataSource;
        this.writer = new StoreWriter(dataSource, maxBatch);
        this.health = health;
        this.timeout = timeout;
        AtomicInteger readerNumber = new AtomicInteger();
        this.readers = new ThreadPoolExecutor(READERS, READERS, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(READS_WAITING), task -> {
                    Thread reader = new Thread(task, "quiesce-store-reader-" + readerNumber.incrementAndGet());
                    reader.setDaemon(true);
                    return reader;
                });
        this.readers.allowCoreThreadTimeOut(true);
    }

    /** The longest a call waits unless it is given a bound of its own. */
    Duration timeout() {
        return timeout;
    }

    /** Runs {@code work} in the writer's next group commit, waiting at most the store's timeout. */
    <T> T write(StoreWriter.Work<T> work) {
        return write(work, timeout, null);
    }

    /**
     * Runs {@code work} in the writer's next group commit, waiting at most {@code wait}; see
     * {@link StoreWriter#execute(StoreWriter.Work, Duration, Consumer)} for {@code lateCommit}.
     */
    <T> T write(StoreWriter.Work<T> work, Duration wait, Consumer<? super T> lateCommit) {
        try {
            T value = writer.execute(work, wait, lateCommit);
            health.answered();
            return value;
        } catch (StoreUnavailableException e) {
            fault(e);
            throw e;
        } catch (StoreRejectedException e) {
            health.answered(); // the store works: it refused this piece alone
            throw e;
        }
    }

    /**
     * Runs each of {@code works} as a piece of its own of the next group commits, waiting at most {@code wait}
     * in all; see {@link StoreWriter#executeEach}.
     */
    <T> List<Object> writeEach(List<StoreWriter.Work<T>> works, Duration wait) {
        List<Object> answers = writer.executeEach(works, wait);
        StoreUnavailableException unanswered = null;
        for (Object answer : answers) {
            if (answer instanceof StoreUnavailableException unavailable) {
                unanswered = unavailable;
            }
        }
        if (unanswered != null) {
            fault(unanswered);
        } else {
            health.answered();
        }
        return answers;
    }

    /** Hands {@code work} to the writer without waiting for it (from the writer's own after-commit actions). */
    void enqueue(StoreWriter.Work<?> work) {
        writer.enqueue(work);
    }

    /** Runs {@code work} on a reader thread and waits for its answer at most the store's timeout. */
    <T> T read(Read<T> work) {
        return read(work, timeout);
    }

    /** Runs {@code work} on a reader thread and waits for its answer at most {@code wait}. */
    <T> T read(Read<T> work, Duration wait) {
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
            T value = answer.get(wait.toNanos(), TimeUnit.NANOSECONDS);
            health.answered();
            return value;
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw fault(new StoreUnavailableException("the store did not answer a read within "
                    + wait.toMillis() + " ms"));
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
                    fault(failed);
                }
                throw failed;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new StoreUnavailableException("store read failed: " + cause, cause);
        }
    }

    /**
     * Tells {@link StoreHealth} of a call the store did not serve, unless the store was closed or we were
     * interrupted.
     */
    private StoreUnavailableException fault(StoreUnavailableException e) {
        if (e.storeFault() && !closed && !Thread.currentThread().isInterrupted()) {
            health.fault(e.getMessage());
        }
        return e;
    }

    /** Refuses further calls; lets the writer finish what it holds within {@code waitMillis}. */
    void close(long waitMillis) {
        closed = true;
        writer.closeWithin(waitMillis);
        readers.shutdownNow();
    }
}
