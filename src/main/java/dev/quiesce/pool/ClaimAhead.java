package dev.quiesce.pool;

import java.time.Duration;

import dev.quiesce.jobs.Job;
import dev.quiesce.pool.JobPool.Mode;

/**
 * How far a pool's claims reach ahead of its idle workers. While the pool is open and its recent runs are quick,
 * a claim also takes as many jobs as the workers run in about {@link #WAIT} at the recent mean run time (at
 * most {@link #MAX}): they wait for a worker RUNNING about that long, and keep the workers busy while the next
 * claim commits. Long runs claim nothing ahead: a job would read RUNNING for a whole run with no worker on it.
 * Thread-safe (it reads {@link RunTimes}, which is).
 */
final class ClaimAhead {

    /** About how long a job claimed ahead waits for a worker, at the recent mean run time. */
    static final Duration WAIT = Duration.ofMillis(1);
    /** At most this many jobs are claimed ahead of the workers looking, however quick the runs. */
    static final int MAX = 256;

    private final RunTimes runTimes;
    private final int workers;

    ClaimAhead(RunTimes runTimes, int workers) {
        this.runTimes = runTimes;
        this.workers = workers;
    }

    /** How many jobs a claim made in {@code mode} asks for beyond the workers looking. */
    int count(Mode mode) {
        if (mode != Mode.OPEN) {
            return 0;
        }
        long meanNanos = runTimes.recentMean().map(Duration::toNanos).orElse(Long.MAX_VALUE);
        if (meanNanos >= WAIT.toNanos()) {
            return 0;
        }
        return (int) Math.min(MAX, workers * WAIT.toNanos() / Math.max(1, meanNanos));
    }

    /**
     * Whether {@code job} is known to end within {@link #WAIT} ({@link RunTimes#quick}): if not, jobs claimed
     * ahead must not wait for the worker that runs it.
     */
    boolean knownQuick(Job job) {
        return runTimes.quick(job.type(), WAIT);
    }
}
