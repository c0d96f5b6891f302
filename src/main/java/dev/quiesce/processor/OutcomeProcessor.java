package dev.quiesce.processor;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.lifecycle.Waiter;
import dev.quiesce.store.JobStore;

/**
 * Write-behind batching of job outcomes: workers hand outcomes here and go on; a flusher thread writes them to
 * the store in batches, every {@code flushInterval} or as soon as {@code batchSize} are waiting. Until an
 * outcome is written, {@link #pending} answers it. A failed write keeps the batch for the next flush. The flusher
 * waits on a {@link Waiter} that a full batch or a stop wakes; its interval is real elapsed time (the system
 * clock), a pace of writes rather than a time of day that tests would move.
 *
 * <p>A kill -9 loses at most the outcomes not yet flushed; their jobs are still RUNNING in the store and run
 * again after the restart (at-least-once), never vanish.
 */
public final class OutcomeProcessor implements OutcomeSink {

    private static final Logger log = LoggerFactory.getLogger(OutcomeProcessor.class);

    private final JobStore store;
    private final Duration flushInterval;
    private final int batchSize;

    /**
     * Held by a flush from taking its batch to settling what the store wrote, so that {@link #betweenWrites}
     * sees each outcome either pending here or written to the store.
     */
    private final ReentrantLock flushing = new ReentrantLock();
    /** Guards {@link #buffer}. */
    private final ReentrantLock lock = new ReentrantLock();
    private final List<FinishedJob> buffer = new ArrayList<>();
    private final Map<String, FinishedJob> pending = new ConcurrentHashMap<>();
    private final Waiter waiter = new Waiter(Clock.systemUTC());
    private Thread flusher;
    // Set before the waiter is woken; read by the flusher between waits.
    private volatile boolean stopping;

    public OutcomeProcessor(JobStore store, Duration flushInterval, int batchSize) {
        this.store = store;
        this.flushInterval = flushInterval;
        this.batchSize = batchSize;
    }

    @Override
    public void accept(FinishedJob outcome) {
        pending.put(outcome.id(), outcome);
        boolean batchWaiting;
        lock.lock();
        try {
            buffer.add(outcome);
            batchWaiting = buffer.size() >= batchSize;
        } finally {
            lock.unlock();
        }
        if (batchWaiting) {
            waiter.wake();
        }
    }

    @Override
    public Optional<FinishedJob> pending(String jobId) {
        return Optional.ofNullable(pending.get(jobId));
    }

    @Override
    public Map<String, FinishedJob> pendingNow() {
        return Map.copyOf(pending);
    }

    @Override
    public Collection<String> pendingWith(JobStatus status, int max) {
        List<String> ids = new ArrayList<>();
        for (FinishedJob outcome : pending.values()) {
            if (ids.size() >= max) {
                break;
            }
            if ((outcome.requeue() ? JobStatus.QUEUED : outcome.status()) == status) {
                ids.add(outcome.id());
            }
        }
        return ids;
    }

    /** Outcomes not yet written: buffered, or being written by the flusher right now. */
    public int unwritten() {
        return pending.size();
    }

    /** Outcomes waiting in the buffer to be written. */
    public int buffered() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    public synchronized void start() {
        if (flusher == null) {
            flusher = new Thread(this::loop, "quiesce-processor");
            flusher.setDaemon(true);
            flusher.start();
        }
    }

    /** {@link #flushOnce(Duration)} bounded by the store's timeout. */
    public int flushOnce() {
        return flushOnce(store.timeout());
    }

    /**
     * Writes one batch now, on the calling thread, waiting on the store at most {@code wait}. An outcome the
     * store refuses holds up no other: it is written again as a FAILED run without its result (see
     * {@link #unstorable}), or dropped if that is refused too (its job stays RUNNING in the store and runs again
     * after a restart or its lease: at-least-once).
     *
     * @return how many outcomes were written, or -1 if the store did not answer (the unwritten ones stay
     *         buffered, ahead of newer ones)
     */
    public int flushOnce(Duration wait) {
        flushing.lock();
        try {
            return flushBatch(wait);
        } finally {
            flushing.unlock();
        }
    }

    @Override
    public void writeNow(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        try {
            if (!flushing.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            flushBatch(Duration.ofNanos(Math.max(0, until - System.nanoTime())));
        } finally {
            flushing.unlock();
        }
    }

    @Override
    public <T> Optional<T> betweenWrites(Supplier<T> view, Duration wait) {
        try {
            if (!flushing.tryLock(wait.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        try {
            return Optional.of(view.get());
        } finally {
            flushing.unlock();
        }
    }

    private int flushBatch(Duration wait) {
        List<FinishedJob> batch;
        lock.lock();
        try {
            if (buffer.isEmpty()) {
                return 0;
            }
            int size = Math.min(batchSize, buffer.size());
            batch = new ArrayList<>(buffer.subList(0, size));
            buffer.subList(0, size).clear();
        } finally {
            lock.unlock();
        }
        JobStore.Recorded recorded;
        try {
            recorded = store.record(batch, wait);
        } catch (RuntimeException e) {
            recorded = new JobStore.Recorded(0, List.of(), List.of(), batch);
            log.warn("Writing {} job outcomes failed, will retry: {}", batch.size(), e.getMessage());
        }
        recorded.done().forEach(outcome -> pending.remove(outcome.id(), outcome));
        List<FinishedJob> again = new ArrayList<>(recorded.unwritten());
        for (FinishedJob refused : recorded.rejected()) {
            FinishedJob failed = unstorable(refused);
            if (failed == null) {
                log.warn("Dropping the outcome of job {}: the store refused it twice; the job runs again later",
                        refused.id());
                pending.remove(refused.id(), refused);
            } else {
                pending.replace(refused.id(), refused, failed);
                again.add(failed);
            }
        }
        if (!again.isEmpty()) {
            lock.lock();
            try {
                buffer.addAll(0, again);
            } finally {
                lock.unlock();
            }
        }
        if (!recorded.unwritten().isEmpty()) {
            if (recorded.done().isEmpty()) {
                log.warn("Writing {} job outcomes failed, will retry", recorded.unwritten().size());
            }
            return -1;
        }
        return recorded.done().size();
    }

    /** Error text of an outcome written in place of one the store refused. */
    static final String UNSTORABLE = "the store refused this job's outcome";

    /**
     * What to write instead of an outcome the store refused (a result or an error it cannot hold): the run as
     * FAILED without them; null if {@code refused} is already that.
     */
    static FinishedJob unstorable(FinishedJob refused) {
        if (refused.requeue() || UNSTORABLE.equals(refused.error())) {
            return null;
        }
        return new FinishedJob(refused.id(), refused.type(), refused.owner(), JobStatus.FAILED, false,
                refused.finishedAt(), refused.ranFor(), null, UNSTORABLE, null);
    }

    /** Flushes every {@code flushInterval}, or as soon as a batch is waiting, until a stop. */
    private void loop() {
        while (awaitFlush()) {
            while (flushOnce() > 0 && buffered() >= batchSize) {
                // keep up while a burst lasts
            }
        }
    }

    /**
     * Waits until a batch is waiting or {@code flushInterval} has passed.
     *
     * @return false when the flusher should end instead (a stop, or an interrupt)
     */
    private boolean awaitFlush() {
        while (!stopping && buffered() < batchSize) {
            Waiter.Outcome waited = waiter.await(flushInterval);
            if (waited == Waiter.Outcome.INTERRUPTED) {
                return false;
            }
            if (waited == Waiter.Outcome.DUE) {
                break;
            }
            // Woken, by a full batch or a stop: look again.
        }
        return !stopping;
    }

    /**
     * Stops the flusher and writes everything buffered, retrying failed writes until {@code deadline}.
     *
     * @return how many outcomes were left unwritten, counting one the flusher still holds (their jobs stay
     *         RUNNING in the store and are recovered)
     */
    public int stopAndFlush(Deadline deadline) {
        Thread flusherThread;
        synchronized (this) {
            flusherThread = flusher;
            flusher = null;
        }
        stopping = true;
        waiter.wake();
        if (flusherThread != null) {
            try {
                flusherThread.join(Math.max(1, deadline.remaining().toMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        while (buffered() > 0 && !deadline.isExpired()) {
            if (flushOnce(deadline.remaining()) < 0) {
                break;
            }
        }
        return unwritten();
    }
}
