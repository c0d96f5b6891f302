package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.lifecycle.StopForecast;
import dev.quiesce.processor.OutcomeProcessor;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.GateJob;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/**
 * The stop forecast of a real pool, against a real SQLite store, with gate jobs whose run times the test makes
 * by moving the clock while they run. Budget 8 s: the drain ends at 7.2 s (0.8 s kept for the phases after it).
 */
@Timeout(30)
class PoolStopForecasterTest {

    private static final Duration BUDGET = Duration.ofSeconds(8);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final GateJob gate = new GateJob();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
    private TestStores.Opened opened;
    private JobStore store;
    private JobTypes types;
    private OutcomeProcessor outcomes;
    private JobPool pool;

    @BeforeEach
    void setUp() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
        types = Jobs.catalog(gate);
        outcomes = new OutcomeProcessor(store, Duration.ofMillis(20), 64);
        outcomes.start();
        pool = new JobPool(store, types, outcomes, JobEvents.NONE, clock,
                new JobPool.Settings(2, "test", 5, Duration.ofSeconds(30), Duration.ofMillis(50)), finished::add);
        pool.start();
    }

    @AfterEach
    void tearDown() {
        pool.drain(new Deadline(clock, clock.instant()), false, Duration.ofSeconds(1));
        outcomes.stopAndFlush(Deadline.after(clock, Duration.ofSeconds(5)));
        opened.close();
    }

    private StopForecast forecast(boolean runQueued) {
        return forecast(runQueued, Duration.ZERO);
    }

    private StopForecast forecast(boolean runQueued, Duration preStopDelay) {
        return new PoolStopForecaster(pool, store, clock, 2, BUDGET, preStopDelay, runQueued).now();
    }

    private String submitGate(String name) {
        String id = Jobs.insert(store, types, clock, "gate", "{\"gate\":\"" + name + "\"}");
        pool.wake();
        return id;
    }

    /** Runs one gate job that the clock says took {@code took}: the type's run times learn it. */
    private void learnGateRunTime(String name, Duration took) {
        String id = submitGate(name);
        await().atMost(WAIT).until(() -> gate.running() == 1);
        clock.advance(took);
        gate.open(name);
        await().atMost(WAIT).until(() -> finished.contains(id));
    }

    @Test
    void anIdlePoolForecastsACleanStopThatNeedsOnlyTheReserve() {
        assertThat(forecast(true)).isEqualTo(new StopForecast(true, 800, 0, 0));
    }

    @Test
    void aRunningJobIsExpectedToEndAtItsStartPlusItsTypesRecentP90() {
        learnGateRunTime("learn", Duration.ofSeconds(3));
        submitGate("now");
        await().atMost(WAIT).until(() -> gate.running() == 1);

        clock.advance(Duration.ofSeconds(1));

        assertThat(forecast(true)).isEqualTo(new StopForecast(true, 2000 + 800, 0, 0));
        gate.open("now");
    }

    @Test
    void aRunningJobExpectedToOutliveTheDrainWouldBeCutOff() {
        learnGateRunTime("learn", Duration.ofSeconds(10));
        submitGate("long");
        await().atMost(WAIT).until(() -> gate.running() == 1);

        clock.advance(Duration.ofSeconds(1));

        assertThat(forecast(true)).isEqualTo(new StopForecast(false, 9000 + 800, 1, 0));
        clock.advance(Duration.ofMillis(1900)); // 7.1 s left: it now ends before the drain does
        assertThat(forecast(true)).isEqualTo(new StopForecast(true, 7100 + 800, 0, 0));
        gate.open("long");
    }

    @Test
    void aJobOfATypeWithNoKnownRunTimeIsTakenToEndAtOnceAsTheDrainAdmitsIt() {
        submitGate("unknown");
        await().atMost(WAIT).until(() -> gate.running() == 1);
        clock.advance(Duration.ofSeconds(30));

        assertThat(forecast(true)).isEqualTo(new StopForecast(true, 800, 0, 0));
        gate.open("unknown");
    }

    @Test
    void queuedJobsRunWhileTheyFitUnderDrainAndStayQueuedUnderRequeue() {
        learnGateRunTime("learn", Duration.ofSeconds(3));
        submitGate("a");
        submitGate("a");
        await().atMost(WAIT).until(() -> gate.running() == 2);
        for (int i = 0; i < 5; i++) {
            submitGate("b");
        }
        await().atMost(WAIT).until(() -> store.lastKnownQueued().count() == 5);

        // Both workers free at 3 s; two queued jobs fit (3 s + 3 s <= 7.2 s), the next would start at 6 s: not.
        assertThat(forecast(true)).isEqualTo(new StopForecast(true, 6000 + 800, 0, 3));
        assertThat(forecast(false)).isEqualTo(new StopForecast(true, 3000 + 800, 0, 5));
        // With a pre-stop delay of 5 s the pool is still open at 3 s: two start unchecked and end at 6 s; at
        // 6 s the drain has begun and 1.2 s is left: nothing more starts.
        assertThat(forecast(true, Duration.ofSeconds(5))).isEqualTo(new StopForecast(true, 6000 + 800, 0, 3));
        gate.open("a");
        gate.open("b");
    }

    @Test
    void theDrainThenDoesWhatTheForecastSaid() {
        learnGateRunTime("learn", Duration.ofSeconds(3));
        submitGate("a");
        submitGate("a");
        await().atMost(WAIT).until(() -> gate.running() == 2);
        for (int i = 0; i < 5; i++) {
            submitGate("b");
        }
        await().atMost(WAIT).until(() -> store.lastKnownQueued().count() == 5);
        StopForecast said = forecast(true);

        Deadline drainDeadline = Deadline.after(clock, BUDGET.minus(JobPoolDrainLifecycle.reserveAfterJobs(BUDGET)));
        pool.closeIntake(drainDeadline, true);
        clock.advance(Duration.ofSeconds(3));
        gate.open("a");
        await().atMost(WAIT).until(() -> gate.started() == 1 + 2 + 2 && gate.running() == 2);
        clock.advance(Duration.ofSeconds(3));
        gate.open("b");
        JobPool.DrainReport did = pool.awaitDrained(drainDeadline, Duration.ofSeconds(1), 1, 0);

        assertThat(did.requeued()).isEqualTo(said.wouldRequeue()).isZero();
        assertThat(did.finished()).isEqualTo(4);
        await().atMost(WAIT).until(() -> store.countQueued() == said.wouldLeaveQueued());
        assertThat(said.wouldLeaveQueued()).isEqualTo(3);
    }

    @Test
    void queuedJobsAtTheHeadAreForecastByTheirOwnEstimatesAndTheDrainThenRunsThem() {
        learnGateRunTime("learn", Duration.ofSeconds(3));
        submitGate("a");
        submitGate("a");
        await().atMost(WAIT).until(() -> gate.running() == 2);
        for (int i = 0; i < 4; i++) {
            Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":500}");
        }
        await().atMost(WAIT).until(() -> store.lastKnownQueued().count() == 4);
        // By count alone each queued job would be taken to run the slowest p90 (the gate's 3 s): two would start
        // at 3 s and two stay queued (DrainForecastTest). Known one by one once the pool has read the head of the
        // queue again (by itself, within a tenth of a second of the count's change), the 500 ms sleeps all fit:
        // they start at 3 s, 3 s, 3.5 s and 3.5 s.
        StopForecast expected = new StopForecast(true, 4000 + 800, 0, 0);
        await().atMost(WAIT).until(() -> forecast(true).equals(expected));
        StopForecast said = forecast(true);

        Deadline drainDeadline = Deadline.after(clock, BUDGET.minus(JobPoolDrainLifecycle.reserveAfterJobs(BUDGET)));
        pool.closeIntake(drainDeadline, true);
        clock.advance(Duration.ofSeconds(3));
        gate.open("a");
        JobPool.DrainReport did = pool.awaitDrained(drainDeadline, Duration.ofSeconds(1), 1, 0);

        assertThat(did.requeued()).isEqualTo(said.wouldRequeue()).isZero();
        assertThat(did.finished()).isEqualTo(2 + 4);
        await().atMost(WAIT).until(() -> store.countQueued() == said.wouldLeaveQueued());
    }
}
