package dev.quiesce.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's heartbeat and the fleet as last seen: every third of the lease, and at once when its lifecycle
 * state moves, it writes its row (state, start, now, running count, version) and reads the rows of every instance
 * seen in the last three leases, forgetting the older ones; {@link #instances()} answers from that copy, never
 * from the store.
 *
 * <p>A beat of its own rather than the lease keeper's: the lease keeper ends when the pool's drain ends, while
 * the instance is still draining its outcomes and requests and its last beat must say STOPPED at the very end;
 * and a heartbeat the store refuses must neither delay nor disturb the renewal of leases.
 *
 * <p>A failed beat (store down) is logged once, and once again when beats are stored again. The last beat
 * ({@link #stop}) is written within what is left of the stop and not at all when nothing is.
 *
 * <p>Threads: the first beat on the thread that calls {@link #start}, the next ones on a thread of its own until
 * {@link #stop}, waiting between beats on its own {@link Waiter} on the injected clock. Beats are serialised by
 * {@link #beating}, so the last beat is never overtaken by one read earlier; {@link #instances()} reads an
 * immutable list from a volatile field.
 */
public final class Heartbeat {

    private static final Logger log = LoggerFactory.getLogger(Heartbeat.class);

    private final InstanceStore store;
    private final ShutdownCoordinator coordinator;
    private final JobCounter counter;
    private final Clock clock;
    private final String instance;
    private final String version;
    private final Duration lease;
    private final Duration wait;
    private final Instant startedAt;
    private final Waiter waiter;
    private final ReentrantLock beating = new ReentrantLock();
    /** Set before the waiter is woken; read by the beat thread between beats and under {@link #beating}. */
    private volatile boolean stopped;
    /** The last beat failed (under {@link #beating}): the next failure is not logged again. */
    private boolean failing;
    /** The state of the last beat, so that a move to another one is told at once. */
    private volatile LifecycleState lastState;
    /** The fleet as last read, this instance's own row as last written; immutable. */
    private volatile List<InstanceBeat> known = List.of();

    /**
     * @param version this build's version, or null when the build carries none
     * @param wait the longest one call to the store may take (the store's timeout)
     */
    public Heartbeat(InstanceStore store, ShutdownCoordinator coordinator, JobCounter counter, Clock clock,
            String instance, String version, Duration lease, Duration wait) {
        this.store = store;
        this.coordinator = coordinator;
        this.counter = counter;
        this.clock = clock;
        this.instance = instance;
        this.version = version;
        this.lease = lease;
        this.wait = wait;
        this.startedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS); // as stored
        this.waiter = new Waiter(clock);
    }

    /** The beat's period: a third of the lease, as the lease keeper's. */
    public Duration every() {
        return lease.dividedBy(3);
    }

    /**
     * Beats once on the calling thread, so that the service lists itself from its first request on, then starts
     * the beat's thread (a daemon), which beats every {@link #every()}. Waits on the store (each call bounded).
     */
    public Thread start() {
        beatOnce();
        Thread thread = new Thread(this::beatUntilStopped, "quiesce-heartbeat");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Tells the heartbeat of the coordinator's changes: a new lifecycle state (RUNNING, DRAINING, STOPPED) is
     * beaten at once rather than at the next period, so the fleet sees it within a store call. Quick: it only
     * wakes the beat's thread.
     */
    public ShutdownListener stateListener() {
        return new ShutdownListener() {
            @Override
            public void changed(LifecycleStatus status) {
                if (status.state() != lastState) {
                    waiter.wake();
                }
            }
        };
    }

    /**
     * Every instance whose last heartbeat is at most three leases old, by id, as of the last beat: from memory,
     * never waiting on the store. When the store has not answered for three leases, none (this one included).
     */
    public List<InstanceBeat> instances() {
        Instant since = clock.instant().minus(lease.multipliedBy(3));
        return known.stream().filter(beat -> !beat.lastSeenAt().isBefore(since)).toList();
    }

    private void beatUntilStopped() {
        while (waiter.await(every()) != Waiter.Outcome.INTERRUPTED && !stopped) {
            beatOnce();
        }
    }

    /** One beat, on the calling thread (tests call it directly): write, forget, read. Waits on the store. */
    public void beatOnce() {
        // No bound of its own: only the beat's thread (and the start, once) takes the lock this way, and its
        // holder's store calls are each bounded by the store's timeout. The stop takes it with a tryLock
        // bounded by the deadline (see stop).
        beating.lock();
        try {
            if (stopped) {
                return;
            }
            Instant now = clock.instant();
            InstanceBeat own = own(coordinator.state(), now);
            lastState = own.state();
            Instant since = now.minus(lease.multipliedBy(3));
            store.beat(own, wait);
            store.forgetSilentBefore(since, wait);
            List<InstanceBeat> seen = store.seenSince(since, wait);
            publish(seen, own);
            if (failing) {
                failing = false;
                log.info("Heartbeat stored again");
            }
        } catch (RuntimeException e) {
            // The store's unavailable exception, or a surprise: either way the next beat tries again.
            if (!failing) {
                failing = true;
                log.warn("Heartbeat not stored ({}); trying again every {} ms, logged again once it is stored",
                        e.getMessage(), every().toMillis());
            }
        } finally {
            beating.unlock();
        }
    }

    /**
     * Ends the beat's thread and writes the last beat, with the state the coordinator then has (STOPPED at the
     * end of a stop), waiting on the store at most what is left before {@code deadline}; nothing is written when
     * nothing is left. Never waits past the deadline.
     */
    public void stop(Deadline deadline) {
        stopped = true;
        waiter.wake();
        try {
            if (!beating.tryLock(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                log.warn("Last heartbeat not written: a beat still waits on the store and the stop has no time left");
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            Duration left = deadline.remaining();
            if (left.isZero()) {
                log.warn("Last heartbeat not written: the stop has no time left");
                return;
            }
            Duration bound = left.compareTo(wait) < 0 ? left : wait;
            InstanceBeat last = own(coordinator.state(), clock.instant());
            store.beat(last, bound);
            publish(known, last);
        } catch (RuntimeException e) {
            log.warn("Last heartbeat not written ({})", e.getMessage());
        } finally {
            beating.unlock();
        }
    }

    private InstanceBeat own(LifecycleState state, Instant now) {
        return new InstanceBeat(instance, state, startedAt, now.truncatedTo(ChronoUnit.MILLIS), counter.running(),
                version);
    }

    /** The fleet as read, with this instance's row as written (a read may have missed a later write). */
    private void publish(List<InstanceBeat> seen, InstanceBeat own) {
        List<InstanceBeat> next = new ArrayList<>(seen.size() + 1);
        for (InstanceBeat beat : seen) {
            if (!beat.id().equals(instance)) {
                next.add(beat);
            }
        }
        next.add(own);
        next.sort((a, b) -> a.id().compareTo(b.id()));
        known = List.copyOf(next);
    }
}
