package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.lifecycle.StoreHealth;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.testing.PostgresServer;
import dev.quiesce.testing.SmallDisk;

/**
 * The store's calls against a real database that misbehaves: every call answers within its bound, the fault
 * shows in {@link StoreHealth}, and the store works again by itself once the database does.
 */
@Timeout(value = 3, unit = java.util.concurrent.TimeUnit.MINUTES) // a backstop; every wait inside is bounded
class StoreUnderFaultsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    /** Generous over the timeout: catches a call that waits for the database, not a slow machine. */
    private static final Duration ANSWERED_WITHIN = TIMEOUT.plusSeconds(2);

    private final Clock clock = Clock.systemUTC();
    private final JobIds ids = new JobIds(clock);
    private final StoreHealth health = new StoreHealth(clock, Duration.ZERO);

    @Test
    void whenPostgresStallsEveryCallAnswersWithinTheTimeoutAndTheStoreWorksAgainOnceItResumes() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            TestStores.Opened opened = TestStores.open(postgres.jdbcUrl(), TIMEOUT, health);
            JobStore store = opened.jobs();
            String queued = insert(store);
            Job running = store.claim(claim(1)).started().get(0);

            postgres.pause();
            for (Map.Entry<String, Consumer<JobStore>> call : everyCall(queued, running).entrySet()) {
                assertUnavailableWithinTheBound(call.getKey(), () -> call.getValue().accept(store));
            }
            assertThat(health.condition().state()).isEqualTo(StoreHealth.State.DOWN);

            postgres.resume();
            await("an insert once PostgreSQL answers again").atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(StoreUnavailableException.class).until(() -> insert(store) != null);
            assertThat(store.find(queued)).isPresent();
            assertThat(health.condition().state()).isEqualTo(StoreHealth.State.UP);
            opened.close();
        }
    }

    @Test
    void whenPostgresIsKilledCallsFailFastAndARestartedServerIsUsedWithoutReopeningTheStore() throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            TestStores.Opened opened = TestStores.open(postgres.jdbcUrl(), TIMEOUT, health);
            JobStore store = opened.jobs();
            String queued = insert(store);
            Job running = store.claim(claim(1)).started().get(0);

            postgres.kill();
            for (Map.Entry<String, Consumer<JobStore>> call : everyCall(queued, running).entrySet()) {
                assertUnavailableWithinTheBound(call.getKey(), () -> call.getValue().accept(store));
            }
            assertThat(health.condition().state()).isEqualTo(StoreHealth.State.DOWN);

            postgres.restart();
            await("an insert once PostgreSQL is back").atMost(Duration.ofSeconds(15))
                    .ignoreExceptionsInstanceOf(StoreUnavailableException.class).until(() -> insert(store) != null);
            assertThat(store.find(queued)).isPresent();
            assertThat(health.isUp()).isTrue();
            opened.close();
        }
    }

    @Test
    void whenTheDiskIsFullWritesAreRefusedReadsWorkAndWritingResumesOnceSpaceIsFreed() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(16L * 1024 * 1024);
                TestStores.Opened opened = TestStores.open(
                        "jdbc:sqlite:" + disk.dir().resolve("q.db"), TIMEOUT, health)) {
            JobStore store = opened.jobs();
            String before = insert(store);

            disk.fill();
            // The WAL may hold a few more pages; inserts that need the disk are refused.
            StoreUnavailableException refused = null;
            for (int i = 0; i < 10_000 && refused == null; i++) {
                try {
                    insertLarge(store);
                } catch (StoreUnavailableException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("an insert refused with the disk full").isNotNull();
            assertThat(health.condition().state()).isEqualTo(StoreHealth.State.DOWN);
            assertThat(store.find(before)).as("a read with the disk full").isPresent();

            disk.free();
            await("an insert once space is freed").atMost(Duration.ofSeconds(10))
                    .ignoreExceptionsInstanceOf(StoreUnavailableException.class).until(() -> insert(store) != null);
            assertThat(health.isUp()).isTrue();
        }
    }

    /** Every call of the store that waits on the database, each against the jobs the test made. */
    private Map<String, Consumer<JobStore>> everyCall(String queued, Job running) {
        Map<String, Consumer<JobStore>> calls = new LinkedHashMap<>();
        calls.put("insert", this::insert);
        calls.put("find", store -> store.find(queued));
        calls.put("list", store -> store.list(JobStatus.QUEUED, null, 10));
        calls.put("claim", store -> store.claim(claim(1)));
        calls.put("record", store -> {
            JobStore.Recorded recorded = store.record(List.of(FinishedJob.ended(running, "owner",
                    JobStatus.SUCCEEDED, clock.instant(), Duration.ZERO, "{}", null)), TIMEOUT);
            if (!recorded.unwritten().isEmpty()) {
                throw new StoreUnavailableException("unwritten: " + recorded.unwritten().size());
            }
        });
        calls.put("release", store -> store.release("owner", List.of(running), TIMEOUT));
        calls.put("cancel", store -> store.cancel(queued, clock.instant()));
        calls.put("renewLeases", store -> store.renewLeases("owner", List.of(running.id()),
                clock.instant().plusSeconds(30)));
        calls.put("takeOverExpiredLeases", store -> store.takeOverExpiredLeases(clock.instant(), 5));
        calls.put("countQueued", JobStore::countQueued);
        calls.put("probe", store -> ((JdbcJobStore) store).probe());
        return calls;
    }

    private static void assertUnavailableWithinTheBound(String call, Runnable action) {
        long start = System.nanoTime();
        assertThatThrownBy(action::run).as(call).isInstanceOf(StoreUnavailableException.class);
        long took = System.nanoTime() - start;
        assertThat(took).as("%s answered after %d ms", call, took / 1_000_000).isLessThan(ANSWERED_WITHIN.toNanos());
    }

    private String insert(JobStore store) {
        JobStore.InsertResult result = store.insert(new NewJob(ids.next(), "sleep", "{\"durationMs\":1}", null, null,
                clock.instant()), 1_000_000);
        return ((JobStore.Inserted) result).job().id();
    }

    private void insertLarge(JobStore store) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            parts.add("\"p" + i + "\":\"" + "x".repeat(60) + "\"");
        }
        store.insert(new NewJob(ids.next(), "compute", "{" + String.join(",", parts) + "}", null, null,
                clock.instant()), 1_000_000);
    }

    private ClaimRequest claim(int max) {
        Instant now = clock.instant();
        return new ClaimRequest(max, "owner", "instance", now, now.plusSeconds(30), 5, max).within(TIMEOUT);
    }
}
