package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.pool.JobPool.Mode;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.ClaimResult;
import dev.quiesce.store.StoreUnavailableException;

/**
 * Where an idle worker gets its next job: a job claimed for it by another worker's claim, or else a claim of its
 * own, for itself and for every other worker that starts looking meanwhile (one store transaction serves them
 * all). Workers that find another claiming wait for its jobs instead of claiming too. Jobs claimed but not
 * started go back to the queue as they were (attempts unchanged): while draining, one that no longer fits the time
 * left; when the intake closes, all of them.
 *
 * <p>A claim asks for no more jobs than workers are looking, so a job shown RUNNING has a worker within
 * microseconds. (Claiming ahead of idle workers, tried before, made jobs read RUNNING, with a start and an
 * attempt, while they waited for a worker: it is not done.)
 *
 * <p>Threads: worker threads and the pool's stop; the hand-off state is under {@link #lock}, which is never held
 * across a store call.
 */
final class ClaimedJobs {

    /**
     * How many queued jobs, in claim order, a draining worker reads to find ones that fit the time left; none
     * behind them starts while that many do not fit.
     */
    static final int DRAIN_SCAN = 64;

    private static final Logger log = LoggerFactory.getLogger(ClaimedJobs.class);

    private final JobStore store;
    private final Clock clock;
    private final JobPool.Settings settings;
    private final String owner;
    private final DrainAdmission admission;
    /** The pool's mode, read afresh where it matters: it may change while a claim is under way. */
    private final Supplier<Mode> mode;
    /** Jobs went back to the queue: wakes the pool's idle workers. */
    private final Runnable wake;
    private final JobEvents events;
    private final Consumer<String> onFinished;

    /**
     * Held only for a few field updates, never across a store call: taking it waits for microseconds, so it
     * takes no bound of its own.
     */
    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a claim ends: the workers waiting for it look at {@link #claimed} again. */
    private final Condition claimDone = lock.newCondition();
    /**
     * Jobs claimed for this pool (RUNNING in the store, with our lease) that no worker has started yet: one
     * claim serves several workers. Under {@link #lock}; {@link #claimedCount} mirrors its size for readers.
     */
    private final ArrayDeque<Job> claimed = new ArrayDeque<>();
    private final AtomicInteger claimedCount = new AtomicInteger();
    /** Whether a worker is claiming now (under {@link #lock}): the others wait for its jobs, not claim too. */
    private boolean claiming;
    /** Workers looking for a job (under {@link #lock}); a claim asks for at least this many. */
    private int looking;

    ClaimedJobs(JobStore store, Clock clock, JobPool.Settings settings, String owner, DrainAdmission admission,
            Supplier<Mode> mode, Runnable wake, JobEvents events, Consumer<String> onFinished) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.owner = owner;
        this.admission = admission;
        this.mode = mode;
        this.wake = wake;
        this.events = events;
        this.onFinished = onFinished;
    }

    /** Jobs claimed and not yet taken by a worker (RUNNING in the store without a worker, for microseconds). */
    int count() {
        return claimedCount.get();
    }

    /** The ids of the jobs claimed and not yet taken by a worker: their leases need renewing too. */
    Set<String> ids() {
        lock.lock();
        try {
            return claimed.stream().map(Job::id).collect(Collectors.toUnmodifiableSet());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next job for an idle worker: one already claimed for the pool, or else the worker claims, for itself
     * and for every other worker looking meanwhile. Waits on the store when it claims.
     *
     * @param now the pool's mode as the worker saw it before looking
     */
    Optional<Job> next(Mode now) {
        int want;
        List<Job> unfit = new ArrayList<>();
        lock.lock();
        try {
            looking++;
            try {
                while (true) {
                    Job ready = takeClaimed(unfit);
                    if (ready != null) {
                        return Optional.of(ready);
                    }
                    if (!claiming) {
                        break;
                    }
                    // Bounded by the claim under way: it waits on the store at most storeWait(), and its worker
                    // signals claimDone from a finally block whatever the claim did.
                    claimDone.awaitUninterruptibly();
                }
                claiming = true;
                want = looking;
            } finally {
                looking--;
            }
        } finally {
            lock.unlock();
            release(unfit);
        }
        List<Job> jobs = List.of();
        try {
            jobs = claim(now, want);
        } finally {
            lock.lock();
            try {
                claiming = false;
                if (jobs.size() > 1) {
                    claimed.addAll(jobs.subList(1, jobs.size()));
                    claimedCount.addAndGet(jobs.size() - 1);
                }
                claimDone.signalAll();
            } finally {
                lock.unlock();
            }
        }
        if (jobs.size() > 1 && mode.get() == Mode.FINISHING) {
            releaseAll(); // the intake closed while we claimed: the extra jobs go back at once
        }
        return jobs.stream().findFirst();
    }

    /**
     * Takes a claimed job for a worker (under {@link #lock}). While draining, one that no longer fits the time
     * left goes to {@code unfit}, to be put back in the queue: it was never started, so nothing is cut off.
     */
    private Job takeClaimed(List<Job> unfit) {
        Job job;
        while ((job = claimed.poll()) != null) {
            claimedCount.decrementAndGet();
            if (mode.get() == Mode.DRAINING && !admission.fitsBeforeDeadline(job)) {
                unfit.add(job);
            } else {
                return job;
            }
        }
        return null;
    }

    /** Puts every claimed-not-started job back in the queue (the stop did not cut them off: they never ran). */
    void releaseAll() {
        List<Job> back;
        lock.lock();
        try {
            back = new ArrayList<>(claimed);
            claimed.clear();
            claimedCount.addAndGet(-back.size());
        } finally {
            lock.unlock();
        }
        release(back);
    }

    private void release(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        try {
            store.release(owner, jobs, storeWait());
            wake.run();
        } catch (StoreUnavailableException e) {
            // They stay RUNNING under our lease: recovered at the next start or taken over after the lease.
            log.warn("Putting back {} claimed job(s) failed: {}", jobs.size(), e.getMessage());
        }
    }

    private List<Job> claim(Mode now, int max) {
        boolean draining = now == Mode.DRAINING;
        int scanLimit = draining ? Math.max(DRAIN_SCAN, max) : max;
        ClaimResult result;
        try {
            // Draining, the pool decides here, on the worker's thread, which queued jobs fit the time left (the
            // rule runs the job types' code); the store then claims only those, if they are still queued.
            List<Job> candidates = draining ? store.nextQueued(scanLimit, storeWait()) : List.of();
            if (draining && candidates.isEmpty()) {
                return List.of();
            }
            Instant at = clock.instant();
            ClaimRequest request = new ClaimRequest(max, owner, settings.instance(), at, at.plus(settings.lease()),
                    settings.maxAttempts(), scanLimit).within(storeWait());
            result = store.claim(draining ? request.only(candidates.stream().filter(admission::fitsBeforeDeadline)
                    .map(Job::id).toList()) : request);
        } catch (StoreUnavailableException e) {
            if (mode.get() == Mode.OPEN) {
                log.warn("Claiming work failed, will retry: {}", e.getMessage());
            }
            return List.of();
        }
        for (Job poisoned : result.poisoned()) {
            events.completed(JobStatus.FAILED, poisoned.type(), Duration.ZERO);
            onFinished.accept(poisoned.id());
        }
        return result.started();
    }

    /**
     * How long a store call of the pool may wait: the store's timeout, and during a stop no longer than the
     * drain has left (but long enough for one quick call: jobs put back at the end of a drain need it).
     */
    private Duration storeWait() {
        Duration timeout = store.timeout();
        Deadline deadline = admission.deadline();
        if (deadline == null) {
            return timeout;
        }
        Duration left = deadline.remainingForLastCall();
        return left.compareTo(timeout) < 0 ? left : timeout;
    }
}
