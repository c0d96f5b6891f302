package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Cancellation;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobCancelledException;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.JobTypes;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.ClaimResult;
import dev.quiesce.store.StoreUnavailableException;

/**
 * The bounded worker pool, fed from the store: an idle worker claims the oldest QUEUED jobs, for itself and
 * for the other workers idle at that moment (one store transaction serves them all), runs one, and hands its
 * outcome to the {@link OutcomeSink}. It never claims more than its idle workers start at once: a job shown
 * RUNNING has a worker (a claimed job is handed to a waiting worker within microseconds), {@code attempts}
 * counts real starts, and a job not started is QUEUED and can be cancelled at once. A stop that leaves queued
 * jobs puts a job claimed in that instant back as it was (attempts unchanged): it was never started.
 * There is no in-memory queue: the store's QUEUED jobs are the queue, bounded by the intake.
 *
 * <p>Stop: {@link #drain} closes the pool to new claims (policy {@code requeue}) or admits only queued jobs
 * that fit in the time left (policy {@code drain}), waits for the workers, and at its deadline cancels the
 * running jobs with the reason "shutdown deadline", interrupts them, and requeues them.
 *
 * <p>Threads: {@code workers} platform threads; all shared state is in concurrent structures or under
 * {@link #lock}.
 */
public final class JobPool {

    private static final Logger log = LoggerFactory.getLogger(JobPool.class);

    /** How the workers take new work. */
    enum Mode {
        /** Claim the oldest queued job. */
        RUNNING,
        /** Claim only a queued job whose expected run time fits before the drain deadline. */
        DRAINING,
        /** Claim nothing; finish the running jobs. */
        FINISHING,
        /** Workers exit. */
        STOPPED
    }

    public record Settings(int workers, String instance, int maxAttempts, Duration lease, Duration pollInterval) {
    }

    private record Running(Job job, Cancellation cancellation, Thread thread, Instant startedAt) {
    }

    private final JobStore store;
    private final JobTypes types;
    private final OutcomeSink outcomes;
    private final JobEvents events;
    private final Clock clock;
    private final Settings settings;
    private final Consumer<String> onFinished;
    private final String owner;
    private final RunTimes runTimes = new RunTimes();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition workSignal = lock.newCondition();
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
    private final Condition workerExited = lock.newCondition();
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger alive = new AtomicInteger();
    /**
     * Workers holding work, for {@link #running()}: counted from a claim that found a job until a claim finds
     * none, so a worker going straight from one job to the next stays counted. A claim moves a job out of the
     * store's queued count when it commits; counting the worker (not the registered run) keeps queued + running
     * from dipping there and rising again, so it never rises while the pool drains.
     */
    private final AtomicInteger holding = new AtomicInteger();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();
    private long signals;
    private volatile Mode mode = Mode.RUNNING;
    private volatile Deadline claimDeadline;

    public JobPool(JobStore store, JobTypes types, OutcomeSink outcomes, JobEvents events, Clock clock,
            Settings settings, Consumer<String> onFinished) {
        this.store = store;
        this.types = types;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
        this.settings = settings;
        this.onFinished = onFinished;
        this.owner = settings.instance() + "/" + UUID.randomUUID();
    }

    public void start() {
        lock.lock();
        try {
            if (!threads.isEmpty()) {
                return;
            }
            Thread keeper = new Thread(this::keepLeases, "quiesce-lease-keeper");
            keeper.setDaemon(true);
            keeper.start();
            for (int i = 1; i <= settings.workers(); i++) {
                Thread worker = new Thread(this::work, "quiesce-worker-" + i);
                worker.setDaemon(true);
                threads.add(worker);
                alive.incrementAndGet();
            }
        } finally {
            lock.unlock();
        }
        threads.forEach(Thread::start);
    }

    /** New work may be in the store: wake idle workers. */
    public void wake() {
        lock.lock();
        try {
            signals++;
            workSignal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Jobs this pool holds RUNNING in the store: being run, or claimed for a worker about to run them. */
    public int running() {
        return holding.get() + claimedCount.get();
    }

    /** Jobs this pool has run to an end (not cut off) since it started. */
    public long finished() {
        return finished.get();
    }

    /** Asks the run of {@code jobId} on this instance, if any, to stop for {@code reason}. */
    public boolean cancel(String jobId, CancelReason reason) {
        Running run = running.get(jobId);
        return run != null && run.cancellation().cancel(reason);
    }

    private void work() {
        boolean holds = false;
        try {
            while (true) {
                Mode now = mode;
                if (now == Mode.FINISHING || now == Mode.STOPPED) {
                    return;
                }
                long seen = signalsSeen();
                Optional<Job> job = nextJob(now);
                if (job.isPresent() && !holds) {
                    holds = true;
                    holding.incrementAndGet();
                } else if (job.isEmpty() && holds) {
                    holds = false;
                    holding.decrementAndGet();
                }
                if (job.isPresent()) {
                    run(job.get());
                } else if (mode == Mode.DRAINING) {
                    return; // nothing left that fits: this worker is done
                } else if (mode == Mode.RUNNING && !awaitWork(seen)) {
                    return;
                }
            }
        } finally {
            if (holds) {
                holding.decrementAndGet();
            }
            lock.lock();
            try {
                alive.decrementAndGet();
                workerExited.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /**
     * Every third of the lease: renews the leases of this instance's running jobs, cancels the ones another
     * instance asked to cancel or took over, and takes over jobs whose owner stopped renewing.
     */
    private void keepLeases() {
        Duration every = settings.lease().dividedBy(3);
        while (mode != Mode.STOPPED) {
            lock.lock();
            try {
                workerExited.await(every.toNanos(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            if (mode == Mode.STOPPED) {
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

    /** One round of {@link #keepLeases()}; tests call it directly. */
    void keepLeasesOnce() {
        Instant now = clock.instant();
        Set<String> ids = new HashSet<>(running.keySet());
        lock.lock();
        try {
            claimed.forEach(job -> ids.add(job.id()));
        } finally {
            lock.unlock();
        }
        JobStore.LeaseRenewal renewal = store.renewLeases(owner, ids, now.plus(settings.lease()));
        for (String id : ids) {
            if (!renewal.kept().contains(id) && running.containsKey(id)) {
                log.warn("Job {} is no longer held by this instance (lease lost); stopping its run", id);
                cancel(id, CancelReason.LEASE_LOST);
            } else if (renewal.cancelRequested().contains(id)) {
                cancel(id, CancelReason.REQUESTED);
            }
        }
        if (store.takeOverExpiredLeases(now, settings.maxAttempts()) > 0) {
            wake();
        }
    }

    private long signalsSeen() {
        lock.lock();
        try {
            return signals;
        } finally {
            lock.unlock();
        }
    }

    /** @return false when interrupted (the worker should exit) */
    private boolean awaitWork(long seen) {
        lock.lock();
        try {
            if (signals == seen && mode == Mode.RUNNING) {
                workSignal.await(settings.pollInterval().toNanos(), TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next job for an idle worker: one already claimed for the pool, or else the worker claims, for itself
     * and for every other worker looking meanwhile. Workers that find another claiming wait for its jobs
     * instead of claiming too. (Claiming ahead of idle workers, tried before, made jobs read RUNNING, with a
     * start and an attempt, while they waited for a worker: it is not done.)
     */
    private Optional<Job> nextJob(Mode now) {
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
        if (jobs.size() > 1 && mode == Mode.FINISHING) {
            releaseClaimed(); // the intake closed while we claimed: the extra jobs go back at once
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
            if (mode == Mode.DRAINING && !fitsBeforeDeadline(job)) {
                unfit.add(job);
            } else {
                return job;
            }
        }
        return null;
    }

    /** Puts every claimed-not-started job back in the queue (the stop did not cut them off: they never ran). */
    void releaseClaimed() {
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
            wake();
        } catch (StoreUnavailableException e) {
            // They stay RUNNING under our lease: recovered at the next start or taken over after the lease.
            log.warn("Putting back {} claimed job(s) failed: {}", jobs.size(), e.getMessage());
        }
    }

    private List<Job> claim(Mode now, int max) {
        boolean draining = now == Mode.DRAINING;
        int scanLimit = draining ? Math.max(64, max) : max;
        ClaimResult result;
        try {
            // Draining, the pool decides here, on the worker's thread, which queued jobs fit the time left (the
            // rule runs the job types' code); the store then claims only those, if they are still queued.
            List<Job> candidates = draining ? store.oldestQueued(scanLimit, storeWait()) : List.of();
            if (draining && candidates.isEmpty()) {
                return List.of();
            }
            Instant at = clock.instant();
            ClaimRequest request = new ClaimRequest(max, owner, settings.instance(), at, at.plus(settings.lease()),
                    settings.maxAttempts(), scanLimit).within(storeWait());
            result = store.claim(draining ? request.only(candidates.stream().filter(this::fitsBeforeDeadline)
                    .map(Job::id).toList()) : request);
        } catch (StoreUnavailableException e) {
            if (mode == Mode.RUNNING) {
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
        Deadline deadline = claimDeadline;
        if (deadline == null) {
            return timeout;
        }
        Duration left = deadline.remaining();
        if (left.compareTo(JobStore.LAST_CALL_FLOOR) < 0) {
            return JobStore.LAST_CALL_FLOOR;
        }
        return left.compareTo(timeout) < 0 ? left : timeout;
    }

    /** The drain admission rule: start a queued job only if its expected run time fits the time left. */
    boolean fitsBeforeDeadline(Job job) {
        Deadline deadline = claimDeadline;
        if (deadline == null) {
            return true;
        }
        Optional<Duration> expected = types.expectedDuration(job).or(() -> runTimes.p90(job.type()));
        return expected.isEmpty() || expected.get().compareTo(deadline.remaining()) <= 0;
    }

    private void run(Job job) {
        Cancellation cancellation = new Cancellation();
        Instant started = clock.instant();
        running.put(job.id(), new Running(job, cancellation, Thread.currentThread(), started));
        if (job.cancelRequested()) {
            cancellation.cancel(CancelReason.REQUESTED);
        }
        FinishedJob outcome;
        try {
            String result = types.run(job, cancellation);
            outcome = ended(job, JobStatus.SUCCEEDED, started, result, null);
        } catch (JobCancelledException e) {
            outcome = cancelled(job, started, e.reason());
        } catch (InterruptedException e) {
            outcome = cancelled(job, started, cancellation.reason());
        } catch (Throwable e) {
            // An Error from the job's own code (a failed assert, a missing class, even an OutOfMemoryError) fails
            // this job only: letting it escape would kill the worker for good and leave the job RUNNING.
            outcome = cancellation.isCancelled() ? cancelled(job, started, cancellation.reason())
                    : ended(job, JobStatus.FAILED, started, null, JobTypes.failure(e));
        } finally {
            running.remove(job.id());
            Thread.interrupted(); // a deadline interrupt was for this run only
        }
        outcomes.accept(outcome);
        if (outcome.requeue()) {
            cutOff.incrementAndGet();
            events.requeued(1);
        } else {
            finished.incrementAndGet();
            events.completed(outcome.status(), job.type(), outcome.ranFor());
            if (outcome.status() == JobStatus.SUCCEEDED) {
                runTimes.record(job.type(), outcome.ranFor());
            }
        }
        onFinished.accept(job.id());
    }

    private FinishedJob cancelled(Job job, Instant started, CancelReason reason) {
        CancelReason why = reason == null ? CancelReason.SHUTDOWN_DEADLINE : reason;
        Instant now = clock.instant();
        return switch (why.kind()) {
            // A lost lease writes nothing in effect: the write is fenced by the owner, which is no longer us.
            case SHUTDOWN, LEASE_LOST -> FinishedJob.requeued(job, owner, now, Duration.between(started, now));
            case REQUESTED -> ended(job, JobStatus.CANCELLED, started, null, why.message());
            case SIBLING_FAILED -> ended(job, JobStatus.FAILED, started, null, why.message());
        };
    }

    private FinishedJob ended(Job job, JobStatus status, Instant started, String result, String error) {
        Instant now = clock.instant();
        return FinishedJob.ended(job, owner, status, now, Duration.between(started, now), result, error);
    }

    /**
     * Drains the pool before {@code deadline}: with {@code runQueued} the queued jobs that fit run too,
     * otherwise only the running ones finish. At the deadline, running jobs are cancelled ("shutdown
     * deadline"), interrupted and requeued; the call then waits at most {@code grace} for them to let go.
     */
    public DrainReport drain(Deadline deadline, boolean runQueued, Duration grace) {
        long finishedBefore = finished.get();
        long cutOffBefore = cutOff.get();
        closeIntake(deadline, runQueued);
        return awaitDrained(deadline, grace, finishedBefore, cutOffBefore);
    }

    /** The first half of {@link #drain}: from now on workers claim only what the policy allows. */
    void closeIntake(Deadline deadline, boolean runQueued) {
        claimDeadline = deadline;
        lock.lock();
        try {
            mode = runQueued ? Mode.DRAINING : Mode.FINISHING;
            workSignal.signalAll();
        } finally {
            lock.unlock();
        }
        if (!runQueued) {
            releaseClaimed();
        }
    }

    /** The second half of {@link #drain}. */
    DrainReport awaitDrained(Deadline deadline, Duration grace, long finishedBefore, long cutOffBefore) {
        boolean allExited = awaitWorkers(deadline.at());
        int stuck = 0;
        if (!allExited) {
            mode = Mode.STOPPED;
            List<Running> cut = List.copyOf(running.values());
            log.info("Drain deadline: cutting off {} running job(s): {}", cut.size(),
                    cut.stream().map(run -> run.job().id() + " (" + run.job().type() + ")").toList());
            for (Running run : cut) {
                run.cancellation().cancel(CancelReason.SHUTDOWN_DEADLINE);
                run.thread().interrupt();
            }
            if (!awaitWorkersFor(grace)) {
                stuck = running.size();
                log.warn("{} job(s) ignored the interrupt; they stay RUNNING in the store and are recovered at the "
                        + "next start: {}", stuck, running.keySet());
            }
        }
        mode = Mode.STOPPED;
        wake();
        releaseClaimed(); // normally none: workers take every claimed job before they exit
        return new DrainReport(finished.get() - finishedBefore, cutOff.get() - cutOffBefore, stuck);
    }

    /** What a drain did: jobs finished, jobs cut off and requeued, jobs that would not stop. */
    public record DrainReport(long finished, long requeued, int stuck) {
        public boolean cutOffWork() {
            return requeued > 0 || stuck > 0;
        }
    }

    /** Waits up to {@code grace} of real time (not the clock's: this bounds how long threads take to let go). */
    private boolean awaitWorkersFor(Duration grace) {
        long until = System.nanoTime() + grace.toNanos();
        return awaitWorkers(() -> until - System.nanoTime());
    }

    /** Waits until the clock reaches {@code until}, looking again every 50 ms in case the clock jumps. */
    private boolean awaitWorkers(Instant until) {
        return awaitWorkers(() -> Math.min(Duration.between(clock.instant(), until).toNanos(),
                TimeUnit.MILLISECONDS.toNanos(50)));
    }

    /** @return true when every worker has exited before {@code nanosLeft} reached zero */
    private boolean awaitWorkers(LongSupplier nanosLeft) {
        lock.lock();
        try {
            while (alive.get() > 0) {
                long nanos = nanosLeft.getAsLong();
                if (nanos <= 0) {
                    return false;
                }
                workerExited.await(nanos, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return alive.get() == 0;
        } finally {
            lock.unlock();
        }
    }
}
