package dev.quiesce.pool;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WARN line per job type, the first time its recent p90 run time exceeds what a stop lets running jobs run
 * (the budget less the time kept for the phases after the jobs): such a job, running when a stop begins, is cut
 * off unless it began long enough before. Run times are learnt as jobs end (a new process knows none), so the
 * check runs on each run time recorded, from the start on; once per type and process, so a type hovering
 * around the limit does not fill the log.
 *
 * <p>Threads: the workers that record run times.
 */
final class SlowJobTypeWarnings {

    private static final Logger log = LoggerFactory.getLogger(SlowJobTypeWarnings.class);

    private final Duration budget;
    private final Duration runningMayRun;
    private final Set<String> told = ConcurrentHashMap.newKeySet();

    SlowJobTypeWarnings(Duration budget) {
        this.budget = budget;
        this.runningMayRun = budget.minus(JobPoolDrainLifecycle.reserveAfterJobs(budget));
    }

    /** A run time of {@code type} was recorded; its recent p90 is now {@code p90}. */
    void recorded(String type, Duration p90) {
        if (p90.compareTo(runningMayRun) > 0 && told.add(type)) {
            log.warn("Job type '{}': recent p90 run time {} ms exceeds the {} ms a stop lets running jobs run "
                    + "(quiesce.shutdown.budget {} ms, less {} ms kept for the phases after the jobs): such jobs are "
                    + "cut off at a stop; raise the budget or split the work", type, p90.toMillis(),
                    runningMayRun.toMillis(), budget.toMillis(), budget.minus(runningMayRun).toMillis());
        }
    }
}
