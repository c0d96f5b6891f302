package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.quiesce.jobs.CancelOutcome;
import dev.quiesce.jobs.CancelResult;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.testing.Postgres;

/** The store contract on a real PostgreSQL, started by the build (no test is skipped for want of a server). */
class PostgresJobStoreTest extends JobStoreContractTest {

    private String url;

    @Override
    protected TestStores.Opened open() {
        url = Postgres.newDatabase();
        return TestStores.postgres(url, clock);
    }

    @Test
    void twoInstancesClaimingAtOnceNeverTakeTheSameJob() throws Exception {
        JobIds ids = new JobIds(clock);
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            NewJob job = new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant());
            store.insert(job, 10_000);
            all.add(job.id());
        }
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        try (TestStores.Opened other = TestStores.open(url)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JobStore instance = t % 2 == 0 ? store : other.jobs();
                String owner = "owner-" + t;
                done.add(threads.submit(() -> {
                    while (true) {
                        Instant now = Instant.now();
                        List<Job> got = instance.claim(new ClaimRequest(3, owner, owner, now, now.plusSeconds(30), 5,
                                3)).started();
                        if (got.isEmpty()) {
                            return;
                        }
                        got.forEach(job -> claimed.add(job.id()));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            threads.shutdown();
        }
        assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
        assertThat(new HashSet<>(claimed)).isEqualTo(all);
    }

    @Test
    void inAFleetTheCapacityIsCheckedOnACountAtMostASecondOld() {
        JobIds ids = new JobIds(clock);
        assertThat(store.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 1_000))
                .isInstanceOf(JobStore.Inserted.class);
        Instant counted = clock.instant();
        try (TestStores.Opened other = TestStores.open(url)) {
            for (int i = 0; i < 5; i++) {
                assertThat(other.jobs().insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()),
                        1_000)).isInstanceOf(JobStore.Inserted.class);
            }
        }
        clock.advance(QueuedJobs.MAX_AGE.minusMillis(1));
        store.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 1_000);
        assertThat(store.lastKnownQueued()).as("younger than a second: the count in memory, which cannot know")
                .isEqualTo(new JobStore.QueuedCount(2, counted));

        clock.advance(Duration.ofMillis(1));
        store.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 1_000);
        assertThat(store.lastKnownQueued()).as("a second old: counted again, the other instance's jobs too")
                .isEqualTo(new JobStore.QueuedCount(8, clock.instant()));
    }

    @Test
    void anIdempotencyKeyIsUniqueAcrossInstances() {
        JobIds ids = new JobIds(clock);
        try (TestStores.Opened other = TestStores.open(url)) {
            JobStore.InsertResult first = store.insert(new NewJob(ids.next(), "sleep", "{}", "k", "h",
                    clock.instant()), 100);
            JobStore.InsertResult second = other.jobs().insert(new NewJob(ids.next(), "sleep", "{}", "k", "h",
                    clock.instant()), 100);
            assertThat(second).isInstanceOfSatisfying(JobStore.Existing.class, existing -> assertThat(
                    existing.job().id()).isEqualTo(((JobStore.Inserted) first).job().id()));
        }
    }

    @Test
    void aCancelThatFindsItsQueuedJobClaimedMeanwhileOnlyRequestsIt() throws Exception {
        JobIds ids = new JobIds(clock);
        String id = ((JobStore.Inserted) store.insert(new NewJob(ids.next(), "sleep", "{}", null, null,
                clock.instant()), 100)).job().id();
        try (Connection other = DriverManager.getConnection(url);
                Connection watcher = DriverManager.getConnection(url)) {
            // Another instance claims the job: its transaction holds the row, not yet committed.
            other.setAutoCommit(false);
            try (PreparedStatement claim = other.prepareStatement("UPDATE jobs SET status = 'RUNNING', "
                    + "attempts = 1, owner = 'other', instance = 'other-instance', lease_until = ? WHERE id = ?")) {
                claim.setLong(1, clock.instant().plusSeconds(30).toEpochMilli());
                claim.setString(2, id);
                assertThat(claim.executeUpdate()).isOne();
            }

            // The cancel still reads the job as QUEUED; its update waits for the other transaction's row lock.
            CompletableFuture<CancelResult> cancel = CompletableFuture.supplyAsync(
                    () -> store.cancel(id, clock.instant()));
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingOnALock(watcher));
            assertThat(cancel).isNotDone();
            other.commit();

            CancelResult result = cancel.get(10, TimeUnit.SECONDS);
            assertThat(result.outcome()).isEqualTo(CancelOutcome.REQUESTED);
        }
        Job job = store.find(id).orElseThrow();
        assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(job.cancelRequested()).isTrue();
        assertThat(store.renewLeases("other", List.of(id), clock.instant().plusSeconds(30)).cancelRequested())
                .containsExactly(id);
    }

    /** Whether a session of this database waits for a lock held by another. */
    private static boolean waitingOnALock(Connection watcher) throws Exception {
        try (PreparedStatement select = watcher.prepareStatement("SELECT count(*) FROM pg_stat_activity "
                + "WHERE datname = current_database() AND wait_event_type = 'Lock'");
                ResultSet rows = select.executeQuery()) {
            rows.next();
            return rows.getInt(1) > 0;
        }
    }

    @Test
    void anOutcomeTheDatabaseRefusesFailsAloneAndTheOtherIsWritten() {
        JobIds ids = new JobIds(clock);
        for (int i = 0; i < 2; i++) {
            store.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 100);
        }
        Instant now = clock.instant();
        List<Job> running = store.claim(new ClaimRequest(2, "o", "i", now, now.plusSeconds(30), 5, 2))
                .started();
        assertThat(running).hasSize(2);
        FinishedJob good = FinishedJob.ended(running.get(0), "o", JobStatus.SUCCEEDED, now, Duration.ZERO, "{}",
                null);
        // A PostgreSQL text column cannot hold a NUL character.
        FinishedJob bad = FinishedJob.ended(running.get(1), "o", JobStatus.FAILED, now, Duration.ZERO, null,
                "bad\u0000error");

        JobStore.Recorded recorded = store.record(List.of(good, bad));

        assertThat(recorded.done()).containsExactly(good);
        assertThat(recorded.rejected()).containsExactly(bad);
        assertThat(recorded.unwritten()).isEmpty();
        assertThat(recorded.rows()).isOne();
        assertThat(store.find(good.id()).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(store.find(bad.id()).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
    }
}
