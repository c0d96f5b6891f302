package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.testing.GateJob;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/** The drain admission rule on a clock the test moves: a queued job starts only if it fits the time left. */
class DrainAdmissionTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobTypes types = Jobs.catalog(new GateJob());
    private final RunTimes runTimes = new RunTimes();
    private final DrainAdmission admission = new DrainAdmission(types, runTimes);

    /** A queued job of {@code type}; the rule reads only its type and params. */
    private Job queued(String type, String params) {
        return new Job("job-" + type, type, params, JobStatus.QUEUED, 0, clock.instant(), null, null, null, null,
                null, null, false, RunOptions.NOW, 0);
    }

    private static Job sleep(long millis) {
        return new Job("sleep-" + millis, "sleep", "{\"durationMs\":" + millis + "}", JobStatus.QUEUED, 0, null,
                null, null, null, null, null, null, false, RunOptions.NOW, 0);
    }

    @Test
    void beforeADrainBeginsEveryJobIsAdmitted() {
        assertThat(admission.deadline()).isNull();
        assertThat(admission.fitsBeforeDeadline(sleep(3_600_000))).isTrue();
    }

    @Test
    void whileDrainingAJobIsAdmittedOnlyIfItsOwnEstimateFitsTheTimeLeft() {
        admission.begin(Deadline.after(clock, Duration.ofSeconds(5)));

        assertThat(admission.fitsBeforeDeadline(sleep(60_000))).isFalse();
        assertThat(admission.fitsBeforeDeadline(sleep(5_000))).as("exactly the time left").isTrue();
        assertThat(admission.fitsBeforeDeadline(sleep(10))).isTrue();
    }

    @Test
    void theTimeLeftShrinksAsTheClockMoves() {
        admission.begin(Deadline.after(clock, Duration.ofSeconds(5)));
        assertThat(admission.fitsBeforeDeadline(sleep(3_000))).isTrue();

        clock.advance(Duration.ofSeconds(3));

        assertThat(admission.fitsBeforeDeadline(sleep(3_000))).isFalse();
    }

    @Test
    void aTypeWithoutAnEstimateIsJudgedByTheNinetiethPercentileOfItsRecentSuccessfulRuns() {
        Job gate = queued("gate", "{\"gate\":\"g\"}");
        admission.begin(Deadline.after(clock, Duration.ofSeconds(1)));
        assertThat(admission.fitsBeforeDeadline(gate)).as("no estimate and no runs yet: admitted").isTrue();

        for (int i = 0; i < 9; i++) {
            runTimes.record("gate", Duration.ofMillis(100));
        }
        runTimes.record("gate", Duration.ofSeconds(30)); // one outlier, above the 90th percentile
        assertThat(admission.fitsBeforeDeadline(gate)).isTrue();

        runTimes.record("gate", Duration.ofSeconds(2)); // now two of eleven runs are slow: p90 is 2 s
        assertThat(admission.fitsBeforeDeadline(gate)).isFalse();
    }
}
