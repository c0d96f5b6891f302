package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.BulkAction;
import dev.quiesce.store.JobStore.BulkBatch;
import dev.quiesce.store.JobStore.NewJob;

/**
 * The bound of a bulk retry, measured: 100 000 FAILED jobs on SQLite, retried in batches of 2 000 (as
 * {@code requests.JobActions} does) while a submitter keeps inserting through the same group-commit writer.
 * The figures go to standard output; the limits asserted are loose enough for a busy build machine and tight
 * enough to catch a batch that holds the writer, or a change that is no longer done in batches.
 */
@Timeout(120)
class BulkRetryTimingTest {

    private static final int JOBS = 100_000;
    private static final int BATCH = 2_000;

    @TempDir
    Path dir;

    @Test
    void aHundredThousandFailedJobsAreRetriedInSecondsAndSubmitsInterleaveWithTheBatches() throws Exception {
        Clock clock = Clock.systemUTC();
        JobIds ids = new JobIds(clock);
        try (TestStores.Opened opened = TestStores.sqlite(dir.resolve("q.db"))) {
            JobStore store = opened.jobs();
            insertFailed(opened, ids, clock.instant());

            AtomicBoolean retrying = new AtomicBoolean(true);
            CompletableFuture<List<Long>> submits = CompletableFuture.supplyAsync(() -> {
                List<Long> waits = new ArrayList<>();
                while (retrying.get()) {
                    long started = System.nanoTime();
                    store.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), Integer.MAX_VALUE);
                    waits.add(System.nanoTime() - started);
                }
                return waits;
            });
            long started = System.nanoTime();
            long longestBatch = 0;
            int batches = 0;
            long changed = 0;
            String after = null;
            while (true) {
                long batchStarted = System.nanoTime();
                BulkBatch batch = store.changeBatch(BulkAction.RETRY, JobStatus.FAILED, null, after, BATCH,
                        clock.instant(), store.timeout());
                longestBatch = Math.max(longestBatch, System.nanoTime() - batchStarted);
                if (batch.lastId() == null) {
                    break;
                }
                batches++;
                changed += batch.changed().size();
                after = batch.lastId();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            retrying.set(false);
            List<Long> waits = submits.get();
            waits.sort(null);
            long longestSubmit = waits.isEmpty() ? 0 : waits.get(waits.size() - 1);
            long p99Submit = waits.isEmpty() ? 0 : waits.get((int) (waits.size() * 0.99));

            System.out.printf("bulk retry of %d FAILED jobs on SQLite: %d ms in %d batches of %d (longest batch "
                    + "%d ms); %d submits meanwhile, p99 %d ms, longest %d ms%n", JOBS, took.toMillis(), batches,
                    BATCH, longestBatch / 1_000_000, waits.size(), p99Submit / 1_000_000, longestSubmit / 1_000_000);
            assertThat(changed).isEqualTo(JOBS);
            assertThat(store.countQueued()).isEqualTo(JOBS + waits.size());
            assertThat(store.lastKnownQueued().count()).isEqualTo(JOBS + waits.size());
            assertThat(took).isLessThan(Duration.ofSeconds(15));
            assertThat(Duration.ofNanos(longestBatch)).isLessThan(Duration.ofSeconds(1));
            assertThat(waits).as("submits went on between the batches").hasSizeGreaterThan(batches / 2);
            assertThat(Duration.ofNanos(longestSubmit)).isLessThan(Duration.ofSeconds(1));
        }
    }

    /** The FAILED jobs, written straight into the table in one transaction (the setup, not what is measured). */
    private static void insertFailed(TestStores.Opened opened, JobIds ids, Instant at) throws Exception {
        try (Connection connection = opened.dataSource().getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, type, params, "
                    + "status, attempts, submitted_at, started_at, finished_at, error, failures) "
                    + "VALUES (?, 'fail', '{}', 'FAILED', 1, ?, ?, ?, 'boom', 1)")) {
                for (int i = 0; i < JOBS; i++) {
                    insert.setString(1, ids.next());
                    insert.setLong(2, at.toEpochMilli());
                    insert.setLong(3, at.toEpochMilli());
                    insert.setLong(4, at.toEpochMilli());
                    insert.addBatch();
                    if (i % 10_000 == 9_999) {
                        insert.executeBatch();
                    }
                }
                insert.executeBatch();
            }
            connection.commit();
            connection.setAutoCommit(true);
        }
    }
}
