package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
    private record Run(Job job, Cancellation cancellation, Thread thread, Instant startedAt) {
    }

    private final JobTypes types;
    private final OutcomeSink outcomes;
    private final JobEvents events;
    private final Clock clock;
    private final String owner;
    private final RunTimes runTimes;
    private final Consumer<String> onFinished;

    /** The runs in progress, by job id. */
    private final Map<String, Run> inProgress = new ConcurrentHashMap<>();
    private final AtomicLong finished = new AtomicLong();
    private final AtomicLong cutOff = new AtomicLong();

    JobRunner(JobTypes types, OutcomeSink outcomes, JobEvents events, Clock clock, String owner, RunTimes runTimes,
            Consumer<String> onFinished) {
        this.types = types;
        this.outcomes = outcomes;
        this.events = events;
        this.clock = clock;
        this.owner = owner;
        this.runTimes = runTimes;
        this.onFinished = onFinished;
    }

    /**
     * Runs {@code job} (claimed by this pool) on the calling thread and hands on its outcome. Returns normally
     * whatever the job did (even an {@link Error} fails the job only), with the thread's interrupt flag clear.
     */
    void run(Job job) {
        Cancellation cancellation = new Cancellation();
        Instant started = clock.instant();
        inProgress.put(job.id(), new Run(job, cancellation, Thread.currentThread(), started));
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
            inProgress.remove(job.id());
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

    /** Asks the run of {@code jobId}, if one is in progress, to stop for {@code reason}. */
    boolean cancel(String jobId, CancelReason reason) {
        Run run = inProgress.get(jobId);
        return run != null && run.cancellation().cancel(reason);
    }

    /** Whether a run of {@code jobId} is in progress. */
    boolean inProgress(String jobId) {
        return inProgress.containsKey(jobId);
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
                cut.stream().map(run -> run.job().id() + " (" + run.job().type() + ")").toList());
        for (Run run : cut) {
            run.cancellation().cancel(CancelReason.SHUTDOWN_DEADLINE);
            run.thread().interrupt();
        }
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
