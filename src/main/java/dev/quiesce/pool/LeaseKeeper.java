package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.lifecycle.Waiter;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.StoreUnavailableException;

/**
 * Keeps the pool's leases: every third of the lease it renews the leases of the jobs the pool holds (being run,
 * or claimed for a worker about to run them), stops a run whose job another instance took over or asked to
 * cancel, and takes over the jobs of instances that stopped renewing theirs.
 *
 * <p>Threads: its own thread from {@link #start} until {@link #stop}, waiting between rounds on its own
 * {@link Waiter}. The wait is real elapsed time (the system clock), not the injected clock that dates the leases:
 * renewing is paced by time really passing, also in tests whose clock stands still.
 */
final class LeaseKeeper {

    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final JobStore store;
    private final Clock clock;
    private final String owner;
    private final Duration lease;
    private final int maxAttempts;
    private final JobRunner runner;
    private final ClaimedJobs claimed;
    /** Jobs were taken over: wakes the pool's idle workers. */
    private final Runnable wake;
    private final Waiter waiter = new Waiter(Clock.systemUTC());
    // Set before the waiter is woken; read by the keeper between rounds.
    private volatile boolean stopped;

    LeaseKeeper(JobStore store, Clock clock, String owner, Duration lease, int maxAttempts, JobRunner runner,
            ClaimedJobs claimed, Runnable wake) {
        this.store = store;
        this.clock = clock;
        this.owner = owner;
        this.lease = lease;
        this.maxAttempts = maxAttempts;
        this.runner = runner;
        this.claimed = claimed;
        this.wake = wake;
    }

    /** Starts the keeper's thread (a daemon) and returns it. */
    Thread start() {
        Thread keeper = new Thread(this::keepLeases, "quiesce-lease-keeper");
        keeper.setDaemon(true);
        keeper.start();
        return keeper;
    }

    /** Ends the keeper's thread at once, without another round; the leases it held then run out. */
    void stop() {
        stopped = true;
        waiter.wake();
    }

    private void keepLeases() {
        Duration every = lease.dividedBy(3);
        while (!stopped) {
            if (waiter.await(every) == Waiter.Outcome.INTERRUPTED || stopped) {
                return;
            }
            try {
                keepLeasesOnce();
            } catch (StoreUnavailableException e) {
                log.warn("Renewing leases failed, will retry: {}", e.getMessage());
            } catch (RuntimeException e) {
                // Unforeseen (a bug, a driver's surprise): still no reason to stop renewing, or every lease of
                // this instance would expire under jobs that are still running.
                log.error("Renewing leases failed unexpectedly, will retry", e);
            }
        }
    }

    /** One round of the keeper, on the calling thread; tests call it directly. Waits on the store. */
    void keepLeasesOnce() {
        Instant now = clock.instant();
        Set<String> ids = new HashSet<>(runner.inProgressIds());
        ids.addAll(claimed.ids());
        JobStore.LeaseRenewal renewal = store.renewLeases(owner, ids, now.plus(lease));
        Set<String> lostUnstarted = new HashSet<>();
        for (String id : ids) {
            if (!renewal.kept().contains(id) && runner.inProgress(id)) {
                log.warn("Job {} is no longer held by this instance (lease lost); stopping its run", id);
                runner.cancel(id, CancelReason.LEASE_LOST);
            } else if (!renewal.kept().contains(id)) {
                lostUnstarted.add(id);
            } else if (renewal.cancelRequested().contains(id)) {
                runner.cancel(id, CancelReason.REQUESTED);
            }
        }
        // Claimed and not started yet: no worker may start them now (another instance may have taken them over).
        claimed.drop(lostUnstarted);
        if (store.takeOverExpiredLeases(now, maxAttempts) > 0) {
            wake.run();
        }
    }
}
