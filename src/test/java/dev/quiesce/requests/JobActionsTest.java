package dev.quiesce.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.pool.JobPool;
import dev.quiesce.pool.JobWatch;
import dev.quiesce.processor.OutcomeProcessor;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.JobStore.RetryOutcome;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/** The operator's actions driven directly, without Spring, against a real SQLite store and an idle pool. */
@Timeout(60)
class JobActionsTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobTypes types = Jobs.catalog();
    private TestStores.Opened opened;
    private JobStore store;
    /** Flushes only when told: an outcome stays decided but unwritten. */
    private OutcomeProcessor outcomes;
    private JobPool pool;

    @TempDir
    Path dir;

    @BeforeEach
    void open() {
        opened = TestStores.sqlite(dir.resolve("q.db"), clock);
        store = opened.jobs();
        outcomes = new OutcomeProcessor(store, Duration.ofHours(1), 1000);
        pool = new JobPool(store, types, outcomes, JobEvents.NONE, clock, new JobPool.Settings(1, "test", 5,
                Duration.ofSeconds(30), Duration.ofMillis(50), Duration.ofSeconds(1), Duration.ofMinutes(10)),
                id -> { });
    }

    @AfterEach
    void close() {
        opened.close();
    }

    private JobActions actions(Duration cap) {
        return new JobActions(store, outcomes, pool, new JobWatch(), JobEvents.NONE, clock, cap);
    }

    @Test
    void aJobThatReadsFailedBeforeItsEndIsWrittenIsRetriedAtOnce() {
        String id = Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        Instant now = clock.instant();
        Job running = store.claim(new JobStore.ClaimRequest(1, "o", "i", now, now.plusSeconds(30), 5, 1))
                .started().get(0);
        outcomes.accept(FinishedJob.ended(running, "o", JobStatus.FAILED, now, Duration.ZERO, null, "boom"));
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);

        JobStore.RetryResult result = actions(Duration.ofSeconds(10)).retry(id);

        assertThat(result.outcome()).isEqualTo(RetryOutcome.RETRIED);
        Job stored = store.find(id).orElseThrow();
        assertThat(stored.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored.failures()).isEqualTo(1);
        assertThat(outcomes.pending(id)).isEmpty();
    }

    @Test
    void aBulkRetryGoesThroughEveryMatchingJobInBatches() throws Exception {
        insertFailed(JobActions.BATCH * 2 + 10);

        JobActions.BulkResult result = actions(Duration.ofSeconds(30)).retryAll(JobStatus.FAILED, null);

        assertThat(result).isEqualTo(new JobActions.BulkResult(JobActions.BATCH * 2 + 10, JobActions.BATCH * 2 + 10,
                true));
        assertThat(store.countQueued()).isEqualTo(JobActions.BATCH * 2 + 10);
    }

    @Test
    void aBulkChangeWhoseTimeRunsOutAnswersWhatItDidSoFarAndTheSameRequestAgainCarriesOn() throws Exception {
        insertFailed(10);

        JobActions.BulkResult outOfTime = actions(Duration.ZERO).retryAll(JobStatus.FAILED, null);
        JobActions.BulkResult again = actions(Duration.ofSeconds(10)).retryAll(JobStatus.FAILED, null);

        assertThat(outOfTime).isEqualTo(new JobActions.BulkResult(0, 0, false));
        assertThat(again).isEqualTo(new JobActions.BulkResult(10, 10, true));
    }

    private void insertFailed(int count) throws Exception {
        JobIds ids = new JobIds(clock);
        try (Connection connection = opened.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, type, params, "
                    + "status, attempts, submitted_at, finished_at, error, failures) "
                    + "VALUES (?, 'fail', '{}', 'FAILED', 1, ?, ?, 'boom', 1)")) {
                for (int i = 0; i < count; i++) {
                    insert.setString(1, ids.next());
                    insert.setLong(2, clock.instant().toEpochMilli());
                    insert.setLong(3, clock.instant().toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
        }
    }
}
