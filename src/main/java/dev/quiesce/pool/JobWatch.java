package dev.quiesce.pool;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Wakes long polls when a job finishes. A waiter registers before it reads the job, so a finish between the
 * read and the wait is not missed. {@link #releaseAll()} ends every wait at once (the web server's graceful
 * phase must not wait for long polls). Thread-safe.
 */
final class JobWatch {

    private final Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
    private volatile boolean released;

    CountDownLatch register(String id) {
        CountDownLatch latch = waiting.computeIfAbsent(id, key -> new CountDownLatch(1));
        if (released) {
            latch.countDown();
        }
        return latch;
    }

    /** @return true when woken, false when the time ran out */
    boolean await(String id, CountDownLatch latch, Duration max) throws InterruptedException {
        boolean woken = latch.await(max.toNanos(), TimeUnit.NANOSECONDS);
        if (!woken) {
            waiting.remove(id, latch);
        }
        return woken;
    }

    void finished(String id) {
        CountDownLatch latch = waiting.remove(id);
        if (latch != null) {
            latch.countDown();
        }
    }

    boolean isReleased() {
        return released;
    }

    void releaseAll() {
        released = true;
        waiting.values().forEach(CountDownLatch::countDown);
        waiting.clear();
    }
}
