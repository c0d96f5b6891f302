package dev.quiesce.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.JobSubmitter.Accepted;
import dev.quiesce.jobs.JobSubmitter.Refused;
import dev.quiesce.jobs.RefusalReason;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.jobs.types.StrictJson;
import dev.quiesce.lifecycle.JobCounter;
import dev.quiesce.lifecycle.PhaseState;
import dev.quiesce.lifecycle.PhaseStatus;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.pool.JobPool;
import dev.quiesce.requests.JobIntake;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.SchedulePauses;
import dev.quiesce.store.StoreUnavailableException;
import dev.quiesce.store.TestSchedulePauses;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;
import tools.jackson.databind.json.JsonMapper;

/** The scheduler stepped one tick at a time with a clock the test moves, submitting through the real intake. */
@Timeout(30)
class SchedulerTest {

    private static final JobCounter NO_JOBS = JobCounter.NONE;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:01Z");
    private final JobTypes types = Jobs.catalog();
    private TestStores.Opened opened;
    private TestSchedulePauses pauses;
    private JobStore store;
    private ShutdownCoordinator coordinator;
    private JobIntake intake;

    @BeforeEach
    void open() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
        pauses = TestSchedulePauses.on(opened);
        coordinator = new ShutdownCoordinator(clock, Duration.ofSeconds(8), "i", NO_JOBS);
        JobPool idlePool = new JobPool(store, types, null, JobEvents.NONE, clock,
                new JobPool.Settings(1, "i", 5, Duration.ofSeconds(30), Duration.ofSeconds(1)), id -> { });
        intake = new JobIntake(store, types, idlePool, coordinator, JobEvents.NONE, clock, 100);
    }

    @AfterEach
    void close() {
        pauses.close();
        opened.close();
    }

    private Scheduler scheduler(Schedule... schedules) {
        return new Scheduler(List.of(schedules), intake, store, pauses.pauses(), clock, Duration.ofDays(7),
                JsonMapper.builder().build());
    }

    private Scheduler scheduler(JobStore purgedStore, int purgeChunk) {
        return new Scheduler(List.of(), intake, purgedStore, pauses.pauses(), clock, Duration.ofDays(7),
                JsonMapper.builder().build(), purgeChunk);
    }

    private static Schedule every(String name, Duration period) {
        return new Schedule(name, period, null, "sleep", StrictJson.MAPPER.readTree("{\"durationMs\":1}"));
    }

    private List<Job> jobs() {
        return store.list(null, null, 100);
    }

    @Test
    void aFixedRateScheduleFiresAtWholeMultiplesOfItsPeriodWithTheFiringAsKey() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofSeconds(10)));
        assertThat(scheduler.tick()).isZero();
        assertThat(scheduler.statuses().get(0).nextFireAt()).isEqualTo(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(scheduler.nextDue()).as("the paused set is read again first").isEqualTo(
                Instant.parse("2026-01-01T00:00:01Z").plus(Scheduler.PAUSES_REFRESH_EVERY));
        clock.set(Instant.parse("2026-01-01T00:00:10.250Z"));
        assertThat(scheduler.tick()).isEqualTo(1);
        assertThat(jobs()).singleElement().satisfies(job -> {
            assertThat(job.idempotencyKey()).isEqualTo("schedule:heartbeat:2026-01-01T00:00:10Z");
            assertThat(job.type()).isEqualTo("sleep");
            assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        });
        assertThat(scheduler.statuses().get(0).lastJobId()).isEqualTo(jobs().get(0).id());
        assertThat(scheduler.statuses().get(0).nextFireAt()).isEqualTo(Instant.parse("2026-01-01T00:00:20Z"));
    }

    @Test
    void aClientCannotTakeTheKeyOfAComingFiringSoTheFiringStillMakesItsJob() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofSeconds(10)));
        String nextFiring = "schedule:heartbeat:2026-01-01T00:00:10Z";

        assertThatThrownBy(() -> intake.submit("sleep", StrictJson.MAPPER.readTree("{\"durationMs\":99}"),
                Optional.of(nextFiring)))
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.problems())
                        .singleElement().satisfies(p -> assertThat(p.field()).isEqualTo("Idempotency-Key")));
        assertThat(jobs()).isEmpty();

        clock.set(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(scheduler.tick()).isEqualTo(1);
        assertThat(jobs()).singleElement().satisfies(job -> {
            assertThat(job.idempotencyKey()).isEqualTo(nextFiring);
            assertThat(job.params()).isEqualTo("{\"durationMs\":1}");
        });
    }

    @Test
    void theFiringEntryPointTakesOnlyKeysOfTheSchedulersNamespace() {
        assertThatThrownBy(() -> intake.submitFiring("sleep", StrictJson.MAPPER.readTree("{\"durationMs\":1}"),
                "order-42")).isInstanceOf(IllegalArgumentException.class);
        assertThat(jobs()).isEmpty();
    }

    @Test
    void twoSchedulersSharingTheStoreMakeOneJobPerFiring() {
        Scheduler first = scheduler(every("shared", Duration.ofSeconds(5)));
        Scheduler second = scheduler(every("shared", Duration.ofSeconds(5)));
        clock.set(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(first.tick()).isEqualTo(1);
        assertThat(second.tick()).isZero();
        assertThat(jobs()).hasSize(1);
        assertThat(second.statuses().get(0).lastJobId()).isEqualTo(jobs().get(0).id());
    }

    @Test
    void firingsMissedWhileNotTickingAreNotMadeUp() {
        Scheduler scheduler = scheduler(every("sparse", Duration.ofSeconds(1)));
        clock.advance(Duration.ofSeconds(100));
        assertThat(scheduler.tick()).isEqualTo(1);
        assertThat(scheduler.tick()).isZero();
        assertThat(jobs()).hasSize(1);
    }

    @Test
    void aCronScheduleFiresAtItsTimesInUtc() {
        Scheduler scheduler = scheduler(new Schedule("five", null, "0 */5 * * * *", "sleep",
                StrictJson.MAPPER.readTree("{\"durationMs\":1}")));
        assertThat(scheduler.nextDue()).as("housekeeping is due at once").isEqualTo(clock.instant());
        assertThat(scheduler.statuses().get(0).nextFireAt()).isEqualTo(Instant.parse("2026-01-01T00:05:00Z"));
        clock.set(Instant.parse("2026-01-01T00:05:00Z"));
        scheduler.tick();
        assertThat(jobs()).singleElement()
                .satisfies(job -> assertThat(job.idempotencyKey()).isEqualTo("schedule:five:2026-01-01T00:05:00Z"));
    }

    @Test
    void housekeepingPurgesFinishedJobsOlderThanTheRetention() {
        String old = Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        store.cancel(old, clock.instant());
        String fresh = Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        clock.advance(Duration.ofDays(8));
        String recent = Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        store.cancel(recent, clock.instant());
        scheduler().tick();
        assertThat(store.find(old)).isEmpty();
        assertThat(store.find(fresh)).isPresent();
        assertThat(store.find(recent)).isPresent();
    }

    @Test
    void housekeepingPurgesChunkAfterChunkUntilNoneAreLeft() {
        finishedJobsPastRetention(5);
        AtomicInteger chunks = new AtomicInteger();
        scheduler(withPurgeHook(store, chunks::set), 2).tick();
        assertThat(finishedJobs()).isZero();
        assertThat(chunks).as("2 + 2 + 1: a short chunk means none are left").hasValue(3);
    }

    @Test
    void aStopDuringABigPurgeEndsItAfterTheChunkUnderWay() throws Exception {
        finishedJobsPastRetention(5_000);
        CountDownLatch secondChunkAsked = new CountDownLatch(1);
        CountDownLatch releaseSecondChunk = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        AtomicInteger chunks = new AtomicInteger();
        Scheduler scheduler = scheduler(withPurgeHook(store, chunk -> {
            chunks.set(chunk);
            if (chunk == 2) {
                secondChunkAsked.countDown();
                awaitQuietly(releaseSecondChunk);
            } else if (chunk > 2) {
                awaitQuietly(never); // a purge that ignored the stop would hold the scheduler thread here
            }
        }), 100);
        try {
            scheduler.start(); // housekeeping is due at once
            assertThat(secondChunkAsked.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Boolean> stopped = CompletableFuture
                    .supplyAsync(() -> scheduler.stop(Duration.ofSeconds(5)));
            await().atMost(Duration.ofSeconds(10)).until(scheduler::isStopping);
            releaseSecondChunk.countDown();
            assertThat(stopped.get(10, TimeUnit.SECONDS)).as("the scheduler thread ended within its wait").isTrue();
            assertThat(chunks).as("no chunk after the stop was asked").hasValue(2);
            assertThat(finishedJobs()).as("two chunks of 100 purged, the rest left for the next start")
                    .isEqualTo(4_800);
        } finally {
            releaseSecondChunk.countDown();
            never.countDown();
        }
    }

    @Test
    void theSchedulerPhaseMayWaitAtMostAQuarterOfWhatIsLeft() {
        assertThat(SchedulerStopLifecycle.maxWait(Duration.ofSeconds(8))).isEqualTo(Duration.ofSeconds(2));
        assertThat(SchedulerStopLifecycle.maxWait(Duration.ofMillis(400))).isEqualTo(Duration.ofMillis(100));
        assertThat(SchedulerStopLifecycle.maxWait(Duration.ZERO)).isZero();
    }

    @Test
    void aStuckTickHoldsTheSchedulerPhaseForItsShareOfTheTimeLeftOnly() throws Exception {
        finishedJobsPastRetention(1);
        CountDownLatch purgeAsked = new CountDownLatch(1);
        CountDownLatch storeAnswers = new CountDownLatch(1);
        Scheduler scheduler = scheduler(withPurgeHook(store, chunk -> {
            purgeAsked.countDown();
            awaitQuietly(storeAnswers); // a stalled database
        }), 100);
        ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, Duration.ofSeconds(4), "i", NO_JOBS);
        SchedulerStopLifecycle lifecycle = new SchedulerStopLifecycle(scheduler, coordinator);
        try {
            lifecycle.start();
            assertThat(purgeAsked.await(10, TimeUnit.SECONDS)).isTrue();
            coordinator.begin("test");
            Duration left = coordinator.deadline().remaining(); // the test's clock stands still: 4 s left throughout
            long began = System.nanoTime();
            lifecycle.stop();
            Duration took = Duration.ofNanos(System.nanoTime() - began);
            assertThat(took).as("a quarter of the %s left", left)
                    .isGreaterThanOrEqualTo(left.dividedBy(4).minusMillis(50)) // Thread.join counts whole ms
                    .isLessThan(left.dividedBy(4).plusSeconds(1));
            assertThat(coordinator.status().phases()).filteredOn(phase -> phase.name().equals("scheduler"))
                    .singleElement().extracting(PhaseStatus::state).isEqualTo(PhaseState.TIMED_OUT);
        } finally {
            storeAnswers.countDown();
        }
    }

    @Test
    void aFiringRefusedBecauseTheQueueIsFullIsNotRetried() {
        for (int i = 0; i < 100; i++) {
            Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        }
        Scheduler scheduler = scheduler(every("full", Duration.ofSeconds(1)));
        clock.advance(Duration.ofSeconds(1));
        assertThat(scheduler.tick()).isZero();
        assertThat(scheduler.statuses().get(0).lastFireAt()).isNotNull();
        assertThat(scheduler.statuses().get(0).lastJobId()).isNull();
        assertThat(store.countQueued()).isEqualTo(100);
    }

    @Test
    void stopEndsTheSchedulerThread() {
        Scheduler scheduler = scheduler(every("loop", Duration.ofHours(1)));
        scheduler.start();
        assertThat(scheduler.stop(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void aPausedScheduleSkipsItsFiringsUntilResumedAndTheSkippedOnesAreNotMadeUp() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofSeconds(10)));
        assertThat(scheduler.pause("heartbeat")).hasValueSatisfying(status -> assertThat(status.paused()).isTrue());

        clock.set(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(scheduler.tick()).isZero();
        clock.set(Instant.parse("2026-01-01T00:00:20Z"));
        assertThat(scheduler.tick()).isZero();
        assertThat(jobs()).isEmpty();
        assertThat(scheduler.statuses().get(0).lastFireAt()).isNull();
        assertThat(scheduler.statuses().get(0).nextFireAt()).isEqualTo(Instant.parse("2026-01-01T00:00:30Z"));

        assertThat(scheduler.resume("heartbeat")).hasValueSatisfying(status -> assertThat(status.paused()).isFalse());
        clock.set(Instant.parse("2026-01-01T00:00:30Z"));
        assertThat(scheduler.tick()).isEqualTo(1);
        assertThat(jobs()).singleElement().satisfies(job -> assertThat(job.idempotencyKey())
                .isEqualTo("schedule:heartbeat:2026-01-01T00:00:30Z"));
    }

    @Test
    void pausingAndResumingTwiceIsTheSameAsOnce() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofSeconds(10)));
        scheduler.pause("heartbeat");
        assertThat(scheduler.pause("heartbeat")).hasValueSatisfying(status -> assertThat(status.paused()).isTrue());
        assertThat(pauses.pauses().paused()).containsExactly("heartbeat");
        scheduler.resume("heartbeat");
        assertThat(scheduler.resume("heartbeat")).hasValueSatisfying(status -> assertThat(status.paused()).isFalse());
        assertThat(pauses.pauses().paused()).isEmpty();
    }

    @Test
    void aPauseOnOneInstanceStopsTheFiringsOfAnotherFromItsNextTick() {
        Scheduler here = scheduler(every("shared", Duration.ofSeconds(5)));
        Scheduler there = scheduler(every("shared", Duration.ofSeconds(5)));
        here.pause("shared");
        assertThat(there.statuses().get(0).paused()).as("not read yet").isFalse();

        clock.set(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(there.tick()).isZero();
        assertThat(there.statuses().get(0).paused()).isTrue();
        assertThat(jobs()).isEmpty();

        here.resume("shared");
        clock.set(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(there.tick()).isEqualTo(1);
        assertThat(there.statuses().get(0).paused()).isFalse();
    }

    @Test
    void aPauseIsKeptForTheNextStart() {
        scheduler(every("nightly", Duration.ofSeconds(5))).pause("nightly");

        Scheduler next = scheduler(every("nightly", Duration.ofSeconds(5)));
        assertThat(next.refreshPauses()).isTrue();
        assertThat(next.statuses().get(0).paused()).isTrue();
        clock.set(Instant.parse("2026-01-01T00:00:05Z"));
        assertThat(next.tick()).isZero();
        assertThat(jobs()).isEmpty();
    }

    @Test
    void aTriggerSubmitsOneJobNowWithAManualKeyEvenWhenPaused() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofHours(1)));
        scheduler.pause("heartbeat");

        Accepted first = (Accepted) scheduler.trigger("heartbeat").orElseThrow();
        Accepted second = (Accepted) scheduler.trigger("heartbeat").orElseThrow();

        assertThat(first.created()).isTrue();
        assertThat(second.created()).as("a second trigger in the same millisecond makes its own job").isTrue();
        assertThat(first.job().idempotencyKey()).isEqualTo("schedule:heartbeat:manual:2026-01-01T00:00:01.000Z");
        assertThat(second.job().idempotencyKey()).isEqualTo("schedule:heartbeat:manual:2026-01-01T00:00:01.001Z");
        assertThat(first.job().type()).isEqualTo("sleep");
        assertThat(first.job().params()).isEqualTo("{\"durationMs\":1}");
        assertThat(jobs()).hasSize(2);
        assertThat(scheduler.statuses().get(0).lastJobId()).as("the firings' alone").isNull();
    }

    @Test
    void aTriggerIsRefusedWhileTheServiceStopsAndWhenTheQueueIsFull() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofHours(1)));
        for (int i = 0; i < 100; i++) {
            Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        }
        assertThat(scheduler.trigger("heartbeat")).containsInstanceOf(Refused.class).hasValueSatisfying(
                outcome -> assertThat(((Refused) outcome).reason()).isEqualTo(RefusalReason.QUEUE_FULL));

        coordinator.begin("test");
        assertThat(scheduler.trigger("heartbeat")).hasValueSatisfying(
                outcome -> assertThat(((Refused) outcome).reason()).isEqualTo(RefusalReason.DRAINING));
        assertThat(store.countQueued()).isEqualTo(100);
    }

    @Test
    void whenTheStoreDoesNotAnswerAPauseFailsAndTheLastKnownPausesStayInForce() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofSeconds(10)),
                every("other", Duration.ofSeconds(10)));
        scheduler.pause("heartbeat");
        pauses.close(); // every call of the pauses' store now answers "the store is closed"

        assertThatThrownBy(() -> scheduler.pause("other")).isInstanceOf(StoreUnavailableException.class);
        assertThat(scheduler.statuses()).extracting(ScheduleStatus::paused).containsExactly(true, false);
        clock.set(Instant.parse("2026-01-01T00:00:10Z"));
        assertThat(scheduler.refreshPauses()).isFalse();
        assertThat(scheduler.tick()).as("other fires, heartbeat stays paused").isEqualTo(1);
        assertThat(jobs()).singleElement().satisfies(job -> assertThat(job.idempotencyKey())
                .isEqualTo("schedule:other:2026-01-01T00:00:10Z"));
    }

    @Test
    void aPauseMadeHereWhileATickReadsThePausedSetIsNotUndoneByThatRead() throws Exception {
        CountDownLatch readDone = new CountDownLatch(1);
        CountDownLatch publish = new CountDownLatch(1);
        SchedulePauses slowReads = (SchedulePauses) Proxy.newProxyInstance(SchedulePauses.class.getClassLoader(),
                new Class<?>[] { SchedulePauses.class }, (proxy, method, args) -> {
                    try {
                        Object answer = method.invoke(pauses.pauses(), args);
                        if (method.getName().equals("paused") && readDone.getCount() > 0) {
                            readDone.countDown(); // read before the pause below: "heartbeat" is not in it
                            awaitQuietly(publish);
                        }
                        return answer;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Scheduler scheduler = new Scheduler(List.of(every("heartbeat", Duration.ofSeconds(10))), intake, store,
                slowReads, clock, Duration.ofDays(7), JsonMapper.builder().build());
        CompletableFuture<Boolean> refresh = CompletableFuture.supplyAsync(scheduler::refreshPauses);
        assertThat(readDone.await(10, TimeUnit.SECONDS)).isTrue();

        scheduler.pause("heartbeat");
        publish.countDown();

        assertThat(refresh.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.statuses().get(0).paused()).as("the read older than the pause is dropped").isTrue();
        scheduler.refreshPauses();
        assertThat(scheduler.statuses().get(0).paused()).isTrue();
    }

    @Test
    void withNoScheduleTheSchedulerWakesOnlyForHousekeeping() {
        Scheduler scheduler = scheduler();
        scheduler.tick();
        assertThat(scheduler.nextDue()).isEqualTo(clock.instant().plus(Scheduler.HOUSEKEEPING_EVERY));
    }

    @Test
    void anUnknownNameIsNeitherPausedResumedNorTriggered() {
        Scheduler scheduler = scheduler(every("heartbeat", Duration.ofHours(1)));
        assertThat(scheduler.pause("nope")).isEmpty();
        assertThat(scheduler.resume("nope")).isEmpty();
        assertThat(scheduler.trigger("nope")).isEmpty();
        assertThat(pauses.pauses().paused()).isEmpty();
        assertThat(jobs()).isEmpty();
    }

    /** {@code count} CANCELLED jobs that finished now, and then the clock moved past their retention (8 days on). */
    private void finishedJobsPastRetention(int count) {
        insertFinished(count, clock.instant());
        clock.advance(Duration.ofDays(8));
    }

    /** Inserts {@code count} CANCELLED jobs that finished at {@code finishedAt}, in one transaction. */
    private void insertFinished(int count, Instant finishedAt) {
        try (Connection connection = opened.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, type, params, status, "
                    + "submitted_at, finished_at) VALUES (?, 'sleep', '{\"durationMs\":1}', 'CANCELLED', ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    insert.setString(1, String.format("finished-%06d", i));
                    insert.setLong(2, finishedAt.toEpochMilli());
                    insert.setLong(3, finishedAt.toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long finishedJobs() {
        try (Connection connection = opened.dataSource().getConnection();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT count(*) FROM jobs WHERE status = 'CANCELLED'");
                ResultSet rows = count.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The store, with {@code beforeChunk} told each purge chunk's number (from 1) before the chunk runs. */
    private static JobStore withPurgeHook(JobStore store, IntConsumer beforeChunk) {
        AtomicInteger chunks = new AtomicInteger();
        return (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(), new Class<?>[] { JobStore.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("purgeFinishedBefore")) {
                        beforeChunk.accept(chunks.incrementAndGet());
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
