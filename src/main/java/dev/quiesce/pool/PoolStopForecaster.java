package dev.quiesce.pool;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.quiesce.jobs.Job;
import dev.quiesce.lifecycle.StopForecast;
import dev.quiesce.store.JobStore;

/**
 * Forecasts a stop from what this instance holds in memory, with the expectations the drain admits jobs by
 * ({@link DrainAdmission#expected}); the arithmetic is {@link DrainForecast}'s. What it knows and assumes:
 *
 * <ul>
 * <li>a running job is expected to end at its start plus its expected run time (its type's estimate, else its
 * type's recent p90); one with neither, or already past it, is taken to end at once;</li>
 * <li>the first queued jobs in claim order are known one by one ({@link QueueHead}, read again within a tenth of
 * a second of a change in the queued count), each with its own expected run time as a running job's; those
 * behind them only by count (as the store last counted it), each taken to run as long as the slowest type's
 * recent p90 here, or no time before any run time is known (the drain admits jobs it knows nothing of). When
 * the count has fallen below the head's size since it was read, the jobs at its front are taken as gone (claims
 * take the front);</li>
 * <li>this instance alone runs them (in a fleet, others take some), and jobs claimed for a worker not yet
 * started (microseconds) count nowhere.</li>
 * </ul>
 *
 * <p>Threads: any; it reads the pool's concurrent structures, the head's snapshot and the store's count in
 * memory, never the store.
 */
final class PoolStopForecaster implements StopForecast.Forecaster {

    private final JobPool pool;
    private final JobStore store;
    private final Clock clock;
    private final int workers;
    private final Duration budget;
    private final Duration preStopDelay;
    private final boolean runQueued;

    PoolStopForecaster(JobPool pool, JobStore store, Clock clock, int workers, Duration budget,
            Duration preStopDelay, boolean runQueued) {
        this.pool = pool;
        this.store = store;
        this.clock = clock;
        this.workers = workers;
        this.budget = budget;
        this.preStopDelay = preStopDelay;
        this.runQueued = runQueued;
    }

    @Override
    public StopForecast now() {
        Instant now = clock.instant();
        List<Long> runningLeft = new ArrayList<>();
        for (JobRunner.InProgress run : pool.runsInProgress()) {
            long ran = Duration.between(run.started(), now).toMillis();
            runningLeft.add(expected(run.job()).map(expected -> Math.max(0, expected.toMillis() - ran)).orElse(0L));
        }
        long queuedEach = pool.runTimes().longestP90().map(Duration::toMillis).orElse(0L);
        long queued = store.lastKnownQueued().count();
        List<QueueHead.Entry> read = pool.queueHead().entries();
        List<QueueHead.Entry> head = read.subList(read.size() - (int) Math.min(queued, read.size()), read.size());
        List<DrainForecast.Queued> expected = head.stream().map(entry -> new DrainForecast.Queued(
                entry.estimate().or(() -> pool.runTimes().p90(entry.type())).map(Duration::toMillis))).toList();
        return DrainForecast.of(new DrainForecast.Work(runningLeft, expected, queued - head.size(), queuedEach,
                workers, budget.toMillis(), preStopDelay.toMillis(),
                JobPoolDrainLifecycle.reserveAfterJobs(budget).toMillis(), runQueued));
    }

    /** The drain's expectation; a job type whose estimate throws is one nothing is known of. */
    private Optional<Duration> expected(Job job) {
        try {
            return pool.admission().expected(job);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
