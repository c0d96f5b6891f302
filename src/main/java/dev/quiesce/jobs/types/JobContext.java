package dev.quiesce.jobs.types;

import java.time.Duration;
import java.util.concurrent.Executor;

import dev.quiesce.jobs.CancelReason;
import dev.quiesce.jobs.Cancellation;
import dev.quiesce.jobs.JobCancelledException;

/**
 * What a running job may use: its cancellation (with a reason), an interruptible wait, and an executor for
 * work it runs concurrently (fanout). Handed to {@link JobType#run}; valid for that run only.
 */
public final class JobContext {

    private final Cancellation cancellation;
    private final Executor executor;
    private final JobTypes types;

    JobContext(Cancellation cancellation, Executor executor, JobTypes types) {
        this.cancellation = cancellation;
        this.executor = executor;
        this.types = types;
    }

    public Cancellation cancellation() {
        return cancellation;
    }

    /** Throws {@link JobCancelledException} if the run was cancelled; call it in loops. */
    public void checkCancelled() throws JobCancelledException {
        cancellation.throwIfCancelled();
        if (Thread.currentThread().isInterrupted()) {
            throw new JobCancelledException(cancellation.reason() != null ? cancellation.reason() : CancelReason.SHUTDOWN_DEADLINE);
        }
    }

    /** Waits for {@code duration}; returns early with {@link JobCancelledException} when cancelled. */
    public void sleep(Duration duration) throws JobCancelledException, InterruptedException {
        if (!cancellation.await(duration)) {
            cancellation.throwIfCancelled();
        }
    }

    /** Runs concurrent parts of this job (virtual threads where the JVM has them). */
    public Executor executor() {
        return executor;
    }

    /** The catalog of job types, for a type made of other types (a fanout runs its tasks through it). */
    public JobTypes types() {
        return types;
    }

    /** A context for a part of this job: cancelled with this one, or on its own. */
    public JobContext child(Cancellation childCancellation) {
        return new JobContext(childCancellation, executor, types);
    }
}
