package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.store.JobStore;

/**
 * The bounded worker pool, fed from the store: {@code workers} threads, each taking its next job from
 * {@link ClaimedJobs} (there is no in-memory queue: the store's QUEUED jobs are the queue, bounded by the intake),
 * running it with the {@link JobRunner}, and waiting to be {@link #wake woken} when there is none. A
 * {@link LeaseKeeper} keeps the leases of the jobs the pool holds.
 *
 * <p>Stop: {@link #drain} closes the pool to new claims (policy {@code requeue}) or admits only queued jobs
 * that fit in the time left (policy {@code drain}, see {@link DrainAdmission}), waits for the workers, and at its
 * deadline cuts off the jobs still running: cancelled with the reason "shutdown deadline", interrupted, requeued.
 *
 * <p>Threads: the workers and the lease keeper; the workers' wake-ups and exits are under {@link #lock}, the
 * rest is in concurrent structures or in the parts, each with its own lock.
 *
 * <p>About 300 lines, over our usual 250: the worker loop, its wake-ups and the drain's wait for the workers
 * share one lock and its two conditions, and read best side by side; the rest of the pool lives in its parts.
 */
public final class JobPool {

    private static final Logger log = LoggerFactory.getLogger(JobPool.class);

    /** While a drain waits for the workers, how often it looks at the clock again: a test's clock can jump. */
    private static final Duration LOOK_AT_CLOCK_EVERY = Duration.ofMillis(50);

    /** How the workers take new work. */
    enum Mode {
        /** Claim the oldest queued job. */
        OPEN,
        /** Claim only a queued job whose expected run time fits before the drain deadline. */
        DRAINING,
        /** Claim nothing; finish the running jobs. */
        FINISHING,
        /** Workers exit. */
        STOPPED
    }

    /** How the pool runs; a failed run with retries left waits {@code retryBackoff}, doubling up to the max. */
    public record Settings(int workers, String instance, int maxAttempts, Duration lease, Duration pollInterval,
            Duration retryBackoff, Duration retryBackoffMax) {

        /** With the contract's default backoff: 1 s, doubling, at most 10 min. */
        public Settings(int workers, String instance, int maxAttempts, Duration lease, Duration pollInterval) {
            this(workers, instance, maxAttempts, lease, pollInterval, Duration.ofSeconds(1), Duration.ofMinutes(10));
        }
    }

    /** What a drain did: jobs finished, jobs cut off and requeued, jobs that would not stop. */
    record DrainReport(long finished, long requeued, int stuck) {
        boolean cutOffWork() {
            return requeued > 0 || stuck > 0;
        }
    }

    private final Clock clock;
    private final Settings settings;
    private final RunTimes runTimes = new RunTimes();
    private final DrainAdmission admission;
    private final JobRunner runner;
    private final ClaimedJobs claimed;
    private final LeaseKeeper leaseKeeper;
    private final QueueHead queueHead;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled by {@link #wake} and when the mode changes: idle workers look again. */
    private final Condition workSignal = lock.newCondition();
    /** Signalled when a worker exits: a drain waits on it for the workers. */
    private final Condition workerExited = lock.newCondition();
    /** Wake-ups so far (under {@link #lock}): a worker that saw one before it looked does not wait for it. */
    private long signals;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger alive = new AtomicInteger();
    /**
     * Workers holding work, for {@link #running()}: counted from a claim that found a job until a claim finds
     * none, so a worker going straight from one job to the next stays counted. A claim moves a job out of the
     * store's queued count when it commits; counting the worker (not the run in progress) keeps queued + running
     * from dipping there and rising again, so it never rises while the pool drains.
     */
    private final AtomicInteger holding = new AtomicInteger();
    private volatile Mode mode = Mode.OPEN;

    public JobPool(JobStore store, JobTypes types, OutcomeSink outcomes, JobEvents events, Clock clock,
            Settings settings, Consumer<String> onFinished) {
        this.clock = clock;
        this.settings = settings;
        String owner = settings.instance() + "/" + UUID.randomUUID();
        this.admission = new DrainAdmission(types, runTimes);
        this.runner = new JobRunner(types, outcomes, events, clock, owner, runTimes, onFinished,
                new RetryBackoff(settings.retryBackoff(), settings.retryBackoffMax(), Math::random));
        this.claimed = new ClaimedJobs(store, clock, settings, owner, admission, runTimes, () -> mode, this::wake, events,
                onFinished);
        this.leaseKeeper = new LeaseKeeper(store, clock, owner, settings.lease(), settings.maxAttempts(), runner,
                claimed, this::wake);
        this.queueHead = new QueueHead(store, types);
    }

    void start() {
        lock.lock();
        try {
            if (!threads.isEmpty()) {
                return;
            }
            leaseKeeper.start();
            queueHead.start();
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
    int running() {
        return holding.get() + claimed.count();
    }

    /** The runs in progress on this pool's workers, as of now. */
    List<JobRunner.InProgress> runsInProgress() {
        return runner.runsInProgress();
    }

    /** The expectations the drain admits queued jobs by: a stop forecast uses the same. */
    DrainAdmission admission() {
        return admission;
    }

    /** The first queued jobs as last read, for a stop forecast; read no more once the intake closes. */
    QueueHead queueHead() {
        return queueHead;
    }

    /** The recent run times per job type, which the drain's expectations come from. */
    RunTimes runTimes() {
        return runTimes;
    }

    /** Jobs this pool has run to an end (not cut off) since it started. */
    long finished() {
        return runner.finished();
    }

    /** Asks the run of {@code jobId} on this instance, if any, to stop for {@code reason}. */
    public boolean cancel(String jobId, CancelReason reason) {
        return runner.cancel(jobId, reason);
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
                Optional<Job> job = claimed.next(now);
                if (job.isPresent() && !holds) {
                    holds = true;
                    holding.incrementAndGet();
                } else if (job.isEmpty() && holds) {
                    holds = false;
                    holding.decrementAndGet();
                }
                if (job.isPresent()) {
                    runner.run(job.get());
                } else if (mode == Mode.DRAINING) {
                    return; // nothing left that fits: this worker is done
                } else if (mode == Mode.OPEN && !awaitWork(seen)) {
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
            if (signals == seen && mode == Mode.OPEN) {
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
     * Drains the pool before {@code deadline}: with {@code runQueued} the queued jobs that fit run too,
     * otherwise only the running ones finish. At the deadline, running jobs are cancelled ("shutdown
     * deadline"), interrupted and requeued; the call then waits at most {@code grace} for them to let go.
     */
    DrainReport drain(Deadline deadline, boolean runQueued, Duration grace) {
        long finishedBefore = runner.finished();
        long cutOffBefore = runner.cutOff();
        closeIntake(deadline, runQueued);
        return awaitDrained(deadline, grace, finishedBefore, cutOffBefore);
    }

    /** The first half of {@link #drain}: from now on workers claim only what the policy allows. */
    void closeIntake(Deadline deadline, boolean runQueued) {
        admission.begin(deadline);
        queueHead.stop();
        lock.lock();
        try {
            mode = runQueued ? Mode.DRAINING : Mode.FINISHING;
            workSignal.signalAll();
        } finally {
            lock.unlock();
        }
        if (!runQueued) {
            claimed.releaseAll();
        }
    }

    /** The second half of {@link #drain}. */
    DrainReport awaitDrained(Deadline deadline, Duration grace, long finishedBefore, long cutOffBefore) {
        boolean allExited = awaitWorkers(deadline.at());
        int stuck = 0;
        if (!allExited) {
            enterStopped();
            runner.cutOffAll();
            if (!awaitWorkersFor(grace)) {
                Set<String> left = runner.inProgressIds();
                stuck = left.size();
                log.warn("{} job(s) ignored the interrupt; they stay RUNNING in the store and are recovered at the "
                        + "next start: {}", stuck, left);
            }
        }
        enterStopped();
        wake();
        claimed.releaseAll(); // normally none: workers take every claimed job before they exit
        return new DrainReport(runner.finished() - finishedBefore, runner.cutOff() - cutOffBefore, stuck);
    }

    /** Workers exit at their next look, and the lease keeper ends at once. */
    private void enterStopped() {
        mode = Mode.STOPPED;
        leaseKeeper.stop();
        queueHead.stop();
        runner.close();
    }

    /** Waits up to {@code grace} of real time (not the clock's: this bounds how long threads take to let go). */
    private boolean awaitWorkersFor(Duration grace) {
        long until = System.nanoTime() + grace.toNanos();
        return awaitWorkers(() -> until - System.nanoTime());
    }

    /** Waits until the clock reaches {@code until}, looking again every {@link #LOOK_AT_CLOCK_EVERY}. */
    private boolean awaitWorkers(Instant until) {
        return awaitWorkers(() -> Math.min(Duration.between(clock.instant(), until).toNanos(),
                LOOK_AT_CLOCK_EVERY.toNanos()));
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
