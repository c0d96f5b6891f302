package dev.quiesce.store;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks at the store every {@code interval}, so that one that stops answering is noticed without any
 * request (and one that answers again, too), and the count of queued jobs that views show stays fresh: see
 * {@link JdbcJobStore#probe()}. Each look is bounded by the store's timeout.
 */
final class StoreProbe {

    private static final Logger log = LoggerFactory.getLogger(StoreProbe.class);

    private final JdbcJobStore store;
    private final Duration interval;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread thread;

    StoreProbe(JdbcJobStore store, Duration interval) {
        this.store = store;
        this.interval = interval;
        this.thread = new Thread(this::loop, "quiesce-store-probe");
        this.thread.setDaemon(true);
    }

    /**
     * A quarter of the timeout, at most one second: a store that stops answering right after a look is noticed
     * by the next look within the timeout (a look waits at most half of it, see {@link #lookWait}).
     */
    static Duration interval(Duration timeout) {
        Duration quarter = timeout.dividedBy(4);
        return quarter.compareTo(Duration.ofSeconds(1)) > 0 ? Duration.ofSeconds(1) : quarter;
    }

    /** How long one look waits for the store: half the timeout. */
    static Duration lookWait(Duration timeout) {
        return timeout.dividedBy(2);
    }

    void start() {
        thread.start();
    }

    /** Stops looking; does not wait for a look in progress (it is bounded, and its thread is a daemon). */
    void stop() {
        stopped.countDown();
    }

    private void loop() {
        try {
            while (!stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS)) {
                try {
                    store.probe();
                } catch (StoreUnavailableException e) {
                    log.debug("Store probe: {}", e.getMessage()); // StoreHealth logs the transition
                } catch (RuntimeException e) {
                    log.warn("Store probe failed: {}", e.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
