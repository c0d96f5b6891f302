package dev.quiesce.jobs;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Cooperative cancellation that carries a reason, like a Go context. The first {@link #cancel} wins; later
 * ones are ignored. Children created with {@link #child()} are cancelled with their parent's reason.
 * Thread-safe; {@link #isCancelled()} never blocks.
 */
public final class Cancellation {

    private final AtomicReference<CancelReason> reason = new AtomicReference<>();
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private final List<Cancellation> children = new CopyOnWriteArrayList<>();

    public boolean cancel(CancelReason why) {
        if (!reason.compareAndSet(null, why)) {
            return false;
        }
        cancelled.countDown();
        children.forEach(child -> child.cancel(why));
        return true;
    }

    public boolean isCancelled() {
        return reason.get() != null;
    }

    /** The reason, or {@code null} while not cancelled. */
    public CancelReason reason() {
        return reason.get();
    }

    /** A cancellation that ends with this one, and may also end on its own. */
    public Cancellation child() {
        Cancellation child = new Cancellation();
        children.add(child);
        CancelReason now = reason.get();
        if (now != null) {
            child.cancel(now);
        }
        return child;
    }

    /** Throws when cancelled; a job's check point. */
    public void throwIfCancelled() throws JobCancelledException {
        CancelReason why = reason.get();
        if (why != null) {
            throw new JobCancelledException(why);
        }
    }

    /**
     * Waits for {@code duration} unless cancelled first.
     *
     * @return {@code true} when the full duration passed, {@code false} when cancelled
     */
    public boolean await(Duration duration) throws InterruptedException {
        return !cancelled.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }
}
