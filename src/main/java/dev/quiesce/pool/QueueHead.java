package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Waiter;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.StoreUnavailableException;

/**
 * The first queued jobs in claim order (priority, then age), as the store last showed them, each with its
 * type's own estimate for it: what a stop forecast knows of the queue beyond its count. It holds as many as a
 * drain looks at for a free worker ({@link ClaimedJobs#DRAIN_SCAN}); a drain never starts a job behind that many
 * that do not fit.
 *
 * <p>Threads: its own thread looks every {@link #EVERY} while the pool is open, and reads the head again when the
 * store's count of queued jobs (in memory) has changed since the last read: one indexed read of at most
 * {@link ClaimedJobs#DRAIN_SCAN} rows, bounded by the store's timeout, at most ten a second, none while the queue
 * stands still. Read from any thread through a {@code volatile} snapshot, never waiting on the store. The wait is
 * real elapsed time, as the lease keeper's is.
 */
final class QueueHead {

    /** How often it looks whether the queue changed: a forecast's view of the head lags the count this much. */
    static final Duration EVERY = Duration.ofMillis(100);

    private static final Logger log = LoggerFactory.getLogger(QueueHead.class);

    /** A queued job as a forecast sees it: its type, and its type's estimate for its params, if any. */
    record Entry(String type, Optional<Duration> estimate) {
    }

    private final JobStore store;
    private final JobTypes types;
    private final Waiter waiter = new Waiter(Clock.systemUTC());
    private volatile List<Entry> entries = List.of();
    /** The store's count as of the last read (its own thread and tests only). */
    private volatile JobStore.QueuedCount readAt;
    // Set before the waiter is woken; read by the thread between reads.
    private volatile boolean stopped;

    QueueHead(JobStore store, JobTypes types) {
        this.store = store;
        this.types = types;
    }

    /** Starts its thread (a daemon) and returns it. */
    Thread start() {
        Thread reader = new Thread(this::keepReading, "quiesce-queue-head");
        reader.setDaemon(true);
        reader.start();
        return reader;
    }

    /** Ends its thread at once; the last snapshot stays (a stop's forecast is made from it as the stop begins). */
    void stop() {
        stopped = true;
        waiter.wake();
    }

    /** The head as last read, in claim order. */
    List<Entry> entries() {
        return entries;
    }

    /** Reads the head again, on the calling thread, waiting at most the store's timeout; tests call it directly. */
    void refresh() {
        JobStore.QueuedCount count = store.lastKnownQueued();
        entries = count.count() == 0 ? List.of()
                : store.nextQueued(ClaimedJobs.DRAIN_SCAN, store.timeout()).stream()
                        .map(job -> new Entry(job.type(), estimate(job))).toList();
        readAt = count;
    }

    private void keepReading() {
        while (!stopped) {
            if (waiter.await(EVERY) == Waiter.Outcome.INTERRUPTED || stopped) {
                return;
            }
            if (store.lastKnownQueued().equals(readAt)) {
                continue;
            }
            try {
                refresh();
            } catch (StoreUnavailableException e) {
                log.debug("Reading the head of the queue failed, will retry: {}", e.getMessage());
            } catch (RuntimeException e) {
                log.warn("Reading the head of the queue failed unexpectedly, will retry", e);
            }
        }
    }

    /** The type's own estimate; one whose estimate throws is one nothing is known of, as for the drain. */
    private Optional<Duration> estimate(Job job) {
        try {
            return types.expectedDuration(job);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
