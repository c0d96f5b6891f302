package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Cancellation;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobCancelledException;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.jobs.types.JobTypes;

/**
 * Runs a job on the calling worker's thread and turns how the run ended into its outcome: SUCCEEDED, FAILED,
 * CANCELLED, or back to QUEUED when a stop or a lost lease cut it off. Hands the outcome to the
 * {@link OutcomeSink}, reports it (events, run times, {@code onFinished}), and knows the runs in progress so that
 * they can be cancelled or cut off.
 *
 * <p>Threads: {@link #run} on worker threads, the rest from any thread; the state is in concurrent structures.
 */
final class JobRunner {

    private static final Logger log = LoggerFactory.getLogger(JobRunner.class);

    /** A run in progress: its job, how to cancel it, the worker thread running it, and when it started. */
    private static final class Run {
        final Job job;
        final Cancellation cancellation;
        final Thread thread;
        final Instant started;
        private boolean ended;

        Run(Job job, Cancellation cancellation, Thread thread, Instant started) {
            this.job = job;
            this.cancellation = cancellation;
            this.thread = thread;
            this.started = started;
        }

        /**
         * Cancels this run for {@code reason} and interrupts its worker, unless the run has ended: by then the
         * worker may be running another job, which the interrupt must not reach.
         */
        synchronized void stop(CancelReason reason) {
            if (!ended) {
                cancellation.cancel(reason);
                thread.interrupt();
            }
        }

        synchronized void end() {
            ended = true;
        }
    }

    private final JobTypes types;
    private final OutcomeSink outcomes;
    private final JobEvents events;
    private final Clock clock;
    private final String owner;
    private final RunTimes runTimes;
    private final Consumer<String> onFinished;
    private final RetryBackoff backoff;
    /** Ends runs at their timeouts; one daemon thread, started at the first timeout. */
    private final ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "quiesce-job-timeouts");
        thread.setDaemon(true);
        return thread;
    });

    /** The runs in progress, by job id. */
    private final Map<String, Run> inProgress = new ConcurrentHashMap<>();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();

    JobRunner(JobTypes types, OutcomeSink outcomes, JobEvents events, Clock clock, String owner, RunTimes runTimes,
            Consumer<String> onFinished, RetryBackoff backoff) {
        this.types = types;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
        this.owner = owner;
        this.runTimes = runTimes;
        this.onFinished = onFinished;
        this.backoff = backoff;
        timeouts.setRemoveOnCancelPolicy(true);
    }

    /**
     * Runs {@code job} (claimed by this pool) on the calling thread and hands on its outcome. Returns normally
     * whatever the job did (even an {@link Error} fails the job only), with the thread's interrupt flag clear.
     */
    void run(Job job) {
        Cancellation cancellation = new Cancellation();
        Instant started = clock.instant();
        Run run = new Run(job, cancellation, Thread.currentThread(), started);
        inProgress.put(job.id(), run);
        if (job.cancelRequested()) {
            cancellation.cancel(CancelReason.REQUESTED);
        }
        ScheduledFuture<?> timeout = types.timeoutOf(job).<ScheduledFuture<?>>map(limit -> timeouts.schedule(
                () -> run.stop(CancelReason.TIMEOUT), limit.toNanos(), TimeUnit.NANOSECONDS)).orElse(null);
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
                    : failed(job, started, JobTypes.failure(e));
        } finally {
            run.end();
            if (timeout != null) {
                timeout.cancel(false);
            }
            inProgress.remove(job.id());
            Thread.interrupted(); // a deadline's or a timeout's interrupt was for this run only
        }
        outcomes.accept(outcome);
        if (outcome.failedRun()) {
            events.failedRun(job.type(), outcome.retryAt() != null);
        }
        if (outcome.requeue()) {
            cutOff.incrementAndGet();
            events.requeued(1);
        } else if (outcome.retryAt() != null) {
            finished.incrementAndGet(); // the run ended (the job did not): a stop counts it among the drained
            runTimes.ended(job.type(), outcome.ranFor());
        } else {
            runTimes.ended(job.type(), outcome.ranFor());
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
            case SIBLING_FAILED, TIMEOUT -> failed(job, started, why.message());
        };
    }

    /** A failed run: the job is tried again after its backoff if it has retries left, else it ends FAILED. */
    private FinishedJob failed(Job job, Instant started, String error) {
        Instant now = clock.instant();
        Duration ranFor = Duration.between(started, now);
        if (job.mayRetry()) {
            return FinishedJob.retried(job, owner, now, ranFor, error, now.plus(backoff.after(job.failuresSinceRetried())));
        }
        return FinishedJob.ended(job, owner, JobStatus.FAILED, now, ranFor, null, error);
    }

    private FinishedJob ended(Job job, JobStatus status, Instant started, String result, String error) {
        Instant now = clock.instant();
        return FinishedJob.ended(job, owner, status, now, Duration.between(started, now), result, error);
    }

    /** Asks the run of {@code jobId}, if one is in progress, to stop for {@code reason}. */
    boolean cancel(String jobId, CancelReason reason) {
        Run run = inProgress.get(jobId);
        return run != null && run.cancellation.cancel(reason);
    }

    /** Whether a run of {@code jobId} is in progress. */
    boolean inProgress(String jobId) {
        return inProgress.containsKey(jobId);
    }

    /** A run in progress as a stop forecast sees it: its job and when it started on the runner's clock. */
    record InProgress(Job job, Instant started) {
    }

    /** The runs in progress, as of now. */
    List<InProgress> runsInProgress() {
        return inProgress.values().stream().map(run -> new InProgress(run.job, run.started)).toList();
    }

    /** The ids of the jobs whose runs are in progress, as of now. */
    Set<String> inProgressIds() {
        return Set.copyOf(inProgress.keySet());
    }

    /**
     * At a drain's deadline: cancels every run in progress with the reason "shutdown deadline" and interrupts its
     * worker; each run then ends requeued (unless its job ignores both).
     */
    void cutOffAll() {
        List<Run> cut = List.copyOf(inProgress.values());
        log.info("Drain deadline: cutting off {} running job(s): {}", cut.size(),
                cut.stream().map(run -> run.job.id() + " (" + run.job.type() + ")").toList());
        for (Run run : cut) {
            run.stop(CancelReason.SHUTDOWN_DEADLINE);
        }
    }

    /** Ends the timeouts' thread: no run starts after the pool stopped. */
    void close() {
        timeouts.shutdownNow();
    }

    /** Runs that ended (not cut off) since this runner was made. */
    long finished() {
        return finished.get();
    }

    /** Runs cut off and requeued (by a stop or a lost lease) since this runner was made. */
    long cutOff() {
        return cutOff.get();
    }
}
