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
 * <li>of the queued jobs only the count is in memory (as the store last counted it), not their types nor
 * params: each is taken to run as long as the slowest type's recent p90 here; until any run time is known, they
 * are taken to run in no time, as the drain admits jobs it knows nothing of. So the count left queued is a
 * guess both ways: too high for queued jobs of faster types, too low for queued jobs whose own estimate (a
 * {@code sleep}'s {@code durationMs}) is longer than that p90; and the drain skips a queued job that does not
 * fit to start a later one that does, which a count cannot show ({@code bench/forecast.sh} shows each
 * case);</li>
 * <li>this instance alone runs them (in a fleet, others take some), and jobs claimed for a worker not yet
 * started (microseconds) count nowhere.</li>
 * </ul>
 *
 * <p>Threads: any; it reads the pool's concurrent structures and the store's count in memory, never the store.
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
        return DrainForecast.of(new DrainForecast.Work(runningLeft, store.lastKnownQueued().count(), queuedEach,
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
