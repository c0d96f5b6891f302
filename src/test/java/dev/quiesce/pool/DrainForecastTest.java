package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.quiesce.lifecycle.StopForecast;

/** The forecast's arithmetic on its own: budget 8 s, 0.8 s kept back, so the drain ends at 7.2 s. */
class DrainForecastTest {

    private static StopForecast forecast(List<Long> runningLeft, long queued, long each, int workers,
            long preStopDelay, boolean runQueued) {
        return DrainForecast.of(
                new DrainForecast.Work(runningLeft, queued, each, workers, 8000, preStopDelay, 800, runQueued));
    }

    @Test
    void aMillionQueuedJobsCostNoMoreThanOneAndTheOnesThatFitAreCounted() {
        // 4 workers free at once, 100 ms each: starts at 0, 100, ..., 7100 on each worker: 72 each fit.
        long began = System.nanoTime();
        StopForecast forecast = forecast(List.of(), 1_000_000, 100, 4, 0, true);
        assertThat(System.nanoTime() - began).isLessThan(50_000_000L);

        assertThat(forecast).isEqualTo(new StopForecast(true, 7200 + 800, 0, 1_000_000 - 4 * 72));
    }

    @Test
    void fewerQueuedJobsThanFitEndWhenTheLastOneStartedEnds() {
        // Workers free at 0 and 1000; 1.5 s each: starts 0, 1000, 1500, 2500, 3000: the fifth ends at 4.5 s.
        assertThat(forecast(List.of(1000L), 5, 1500, 2, 0, true)).isEqualTo(new StopForecast(true, 4500 + 800, 0, 0));
    }

    @Test
    void jobsStartedUncheckedDuringThePreStopDelayMayBeCutOff() {
        // The pool is open until 7.5 s: a 1 s job starts at 0..7499 ms on the one worker: at 7000 it ends after
        // the drain (7.2 s) and is cut off; the ninth would start at 8000, past the delay and not fitting.
        assertThat(forecast(List.of(), 20, 1000, 1, 7500, true)).isEqualTo(new StopForecast(false, 8000 + 800, 1, 12));
    }

    @Test
    void queuedJobsOfNoKnownRunTimeAllRunInNoTimeWhileAWorkerIsFree() {
        assertThat(forecast(List.of(9000L), 10, 0, 2, 0, true)).isEqualTo(new StopForecast(false, 9000 + 800, 1, 0));
        assertThat(forecast(List.of(9000L), 10, 0, 1, 0, true)).isEqualTo(new StopForecast(false, 9000 + 800, 1, 10));
    }

    @Test
    void underRequeueEveryQueuedJobStaysQueued() {
        assertThat(forecast(List.of(500L), 7, 10, 4, 0, false)).isEqualTo(new StopForecast(true, 500 + 800, 0, 7));
    }

    private static StopForecast forecast(List<Long> runningLeft, List<DrainForecast.Queued> head, long tail,
            long tailEach, int workers) {
        return DrainForecast.of(
                new DrainForecast.Work(runningLeft, head, tail, tailEach, workers, 8000, 0, 800, true));
    }

    private static List<DrainForecast.Queued> expected(long ms, int count) {
        return Collections.nCopies(count, DrainForecast.Queued.expected(ms));
    }

    @Test
    void aHeadJobThatDoesNotFitIsPassedOverForOnesBehindItThatDo() {
        // One worker: the 20 s job never fits; the two 1 s jobs behind it run at 0 and 1 s.
        List<DrainForecast.Queued> head = List.of(DrainForecast.Queued.expected(20_000),
                DrainForecast.Queued.expected(1000), DrainForecast.Queued.expected(1000));
        assertThat(forecast(List.of(), head, 0, 0, 1)).isEqualTo(new StopForecast(true, 2000 + 800, 0, 1));
    }

    @Test
    void headJobsRunByTheirOwnEstimatesNotTheSlowestP90() {
        // Two workers free at 3 s, four 500 ms jobs: 3, 3, 3.5, 3.5 s; by count at 3 s each, two would stay.
        assertThat(forecast(List.of(3000L, 3000L), expected(500, 4), 0, 3000, 2))
                .isEqualTo(new StopForecast(true, 4000 + 800, 0, 0));
        assertThat(forecast(List.of(3000L, 3000L), 4, 3000, 2, 0, true))
                .isEqualTo(new StopForecast(true, 6000 + 800, 0, 2));
    }

    @Test
    void aHeadJobOfUnknownRunTimeIsAdmittedAndTakenToEndAtOnce() {
        // One worker busy until 7 s: nothing known would fit after it, the job of unknown run time is admitted.
        List<DrainForecast.Queued> head = List.of(DrainForecast.Queued.expected(500), DrainForecast.Queued.unknown());
        assertThat(forecast(List.of(7000L), head, 0, 9000, 1)).isEqualTo(new StopForecast(true, 7000 + 800, 0, 1));
    }

    @Test
    void theTailIsReachedOnlyWhileFewerThanAScanOfHeadJobsStayQueued() {
        int scan = ClaimedJobs.DRAIN_SCAN;
        // A full scan of jobs that never fit hides the tail: its 100 ms jobs stay queued too.
        assertThat(forecast(List.of(), expected(20_000, scan), 10, 100, 2))
                .isEqualTo(new StopForecast(true, 800, 0, scan + 10));
        // One fewer and the tail is in reach: its ten jobs run, five on each worker.
        assertThat(forecast(List.of(), expected(20_000, scan - 1), 10, 100, 2))
                .isEqualTo(new StopForecast(true, 500 + 800, 0, scan - 1));
    }
}
