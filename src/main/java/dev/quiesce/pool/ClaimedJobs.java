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
 * <p>A claim asks for the workers looking, so a job shown RUNNING has a worker within microseconds; and, while
 * the last runs were quick, for a few more ({@link ClaimAhead}: as many as the workers run in about 1 ms at
 * the recent mean run time). Those wait for a worker RUNNING (a start and an attempt counted),
 * about that long, and a worker that finds fewer left claims the next ones before it takes one, so the others
 * need not wait for each claim's commit. Long runs claim nothing ahead, and a worker that takes a job not
 * known to be quick puts back first the jobs claimed ahead that no free worker will take: a job would
 * otherwise read RUNNING for a whole run with no worker on it.
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
    private final ClaimAhead ahead;
    /** The pool's mode, read afresh where it matters: it may change while a claim is under way. */
    private final Supplier<Mode> mode;
    /** Jobs went back to the queue: wakes the pool's idle workers. */
    private final Runnable wake;
    private final JobEvents events;
    private final Consumer<String> onFinished;

    /**
     * Held for a few field updates and, while draining, the fit check of a claimed job (the job type's own
     * estimate, no I/O); never across a store call: taking it waits for microseconds, so it takes no bound of
     * its own.
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
    /**
     * Whether the last claim got all it asked for (under {@link #lock}): only then may the store have more, and
     * a worker claims ahead before the claimed jobs run out. Cleared too when jobs claimed ahead are put back.
     */
    private boolean queueHadMore;
    /** Workers looking for a job (under {@link #lock}); a claim asks for at least this many. */
    private int looking;

    ClaimedJobs(JobStore store, Clock clock, JobPool.Settings settings, String owner, DrainAdmission admission,
            RunTimes runTimes, Supplier<Mode> mode, Runnable wake, JobEvents events, Consumer<String> onFinished) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.owner = owner;
        this.admission = admission;
        this.ahead = new ClaimAhead(runTimes, settings.workers());
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
     * and for every other worker looking meanwhile, and ahead of them while runs are quick. Waits on the store
     * when it claims. While runs are quick, a worker that finds fewer than {@link ClaimAhead#count} claimed jobs left
     * claims more before it takes one, and the other workers run those left meanwhile.
     *
     * @param now the pool's mode as the worker saw it before looking
     */
    Optional<Job> next(Mode seen) {
        Mode now = seen;
        while (true) {
            int want;
            List<Job> unfit = new ArrayList<>();
            lock.lock();
            try {
                looking++;
                try {
                    while (true) {
                        if (!live(now)) {
                            return Optional.empty(); // the intake closed: what was claimed goes back
                        }
                        int beyond = ahead.count(now);
                        if (!claiming && queueHadMore && claimed.size() < beyond) {
                            want = looking + beyond - claimed.size();
                            break; // refill before the claimed jobs run out
                        }
                        Job ready = take(unfit, looking - 1);
                        if (ready != null) {
                            return Optional.of(ready);
                        }
                        if (!claiming) {
                            want = looking + beyond;
                            break;
                        }
                        // Bounded by the claim under way: it waits on the store at most storeWait(), and its
                        // worker signals claimDone from a finally block whatever the claim did.
                        claimDone.awaitUninterruptibly();
                        now = mode.get();
                    }
                    claiming = true;
                } finally {
                    looking--;
                }
            } finally {
                lock.unlock();
                release(unfit);
            }
            List<Job> jobs = List.of();
            boolean answered = false;
            Job mine = null;
            List<Job> back = new ArrayList<>();
            try {
                jobs = claim(now, want);
                answered = true;
            } finally {
                lock.lock();
                try {
                    claiming = false;
                    queueHadMore = jobs.size() >= want;
                    claimed.addAll(jobs);
                    claimedCount.addAndGet(jobs.size());
                    try {
                        if (answered && live(mode.get())) {
                            mine = take(back, looking); // the claimer's own, before the waiting workers take theirs
                        }
                    } finally {
                        claimDone.signalAll();
                    }
                } finally {
                    lock.unlock();
                    release(back);
                }
            }
            if (!live(mode.get())) {
                releaseAll(); // the intake closed while we claimed: what was claimed goes back at once
                return Optional.ofNullable(mine);
            }
            if (mine != null || jobs.isEmpty()) {
                return Optional.ofNullable(mine);
            }
            // Every job this claim got was put back as unfit for the time left: look again, in the mode as it is.
            now = mode.get();
        }
    }

    /** Whether workers still take jobs in {@code mode}: open, or draining what fits. */
    private static boolean live(Mode mode) {
        return mode == Mode.OPEN || mode == Mode.DRAINING;
    }

    /**
     * Takes a claimed job for a worker (under {@link #lock}), as {@link #takeClaimed} does. If the job is not
     * known to be quick ({@link ClaimAhead#knownQuick}), the jobs claimed ahead, beyond one for each of the
     * {@code othersLooking}, go to {@code back} too, to be put back in the queue before the worker runs it:
     * with no other worker free they would wait RUNNING, unstarted, for as long as it runs.
     */
    private Job take(List<Job> back, int othersLooking) {
        Job job = takeClaimed(back);
        if (job != null && claimed.size() > othersLooking && !ahead.knownQuick(job)) {
            while (claimed.size() > othersLooking) {
                back.add(claimed.pollLast());
                claimedCount.decrementAndGet();
            }
            queueHadMore = false; // no refill until a claim for the workers looking finds the queue full again
        }
        return job;
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

    /**
     * Forgets the claimed jobs among {@code ids} without putting them back: this pool no longer holds them (its
     * lease on them was lost), so no worker may start them.
     */
    void drop(Set<String> ids) {
        if (ids.isEmpty()) {
            return;
        }
        int dropped = 0;
        lock.lock();
        try {
            for (var it = claimed.iterator(); it.hasNext();) {
                if (ids.contains(it.next().id())) {
                    it.remove();
                    claimedCount.decrementAndGet();
                    dropped++;
                }
            }
        } finally {
            lock.unlock();
        }
        if (dropped > 0) {
            log.warn("{} claimed job(s) not started yet are no longer held by this instance (lease lost); "
                    + "they will not start here", dropped);
        }
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
