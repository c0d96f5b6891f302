package dev.quiesce.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.ProcessSupport;

/**
 * A benchmark's store: a real SQLite file in a new temporary folder, opened as the service opens it, and
 * removed on {@link #close}. Many jobs can be written straight into its table for a benchmark's setup.
 */
final class BenchmarkStore implements AutoCloseable {

    private final Path dir;
    private final TestStores.Opened opened;

    private BenchmarkStore(Path dir, TestStores.Opened opened) {
        this.dir = dir;
        this.opened = opened;
    }

    static BenchmarkStore sqlite() throws IOException {
        Path dir = Files.createTempDirectory("quiesce-jmh");
        return new BenchmarkStore(dir, TestStores.sqlite(dir.resolve("q.db")));
    }

    JobStore jobs() {
        return opened.jobs();
    }

    /**
     * Claims up to {@code max} queued jobs, as the pool's claims do, and records an outcome for each in one call,
     * as the processor's flush does.
     *
     * @return the claimed jobs' count and the rows the outcomes wrote
     */
    ClaimedAndRecorded claimAndRecord(int max, BiFunction<Job, Instant, FinishedJob> outcome) {
        Instant now = Instant.now();
        List<Job> claimed = jobs().claim(new JobStore.ClaimRequest(max, "jmh", "jmh", now, now.plusSeconds(30),
                Integer.MAX_VALUE, max)).started();
        List<FinishedJob> outcomes = new ArrayList<>(claimed.size());
        for (Job job : claimed) {
            outcomes.add(outcome.apply(job, now));
        }
        return new ClaimedAndRecorded(claimed.size(), jobs().record(outcomes).rows());
    }

    record ClaimedAndRecorded(int claimed, int rows) {
    }

    /** The outcome of a run that succeeded at once. */
    static FinishedJob succeeded(Job job, Instant at) {
        return FinishedJob.ended(job, "jmh", JobStatus.SUCCEEDED, at, Duration.ZERO, "{}", null);
    }

    /**
     * Writes {@code count} 0 ms {@code sleep} jobs of {@code status} straight into the table, in one transaction,
     * the i-th due at {@code runAtMillis + i}, and checks that the table then holds exactly that many of that
     * status.
     */
    void fill(JobIds ids, Clock clock, JobStatus status, int count, long runAtMillis) throws SQLException {
        try (Connection connection = opened.dataSource().getConnection();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO jobs (id, type, params, status, "
                        + "attempts, submitted_at, run_at, priority) "
                        + "VALUES (?, 'sleep', '{\"durationMs\":0}', ?, 0, ?, ?, 5)")) {
            connection.setAutoCommit(false);
            for (int i = 0; i < count; i++) {
                insert.setString(1, ids.next());
                insert.setString(2, status.name());
                insert.setLong(3, clock.millis());
                insert.setLong(4, runAtMillis + i);
                insert.addBatch();
                if (i % 10_000 == 9_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            connection.commit();
            try (PreparedStatement counting = connection
                    .prepareStatement("SELECT count(*) FROM jobs WHERE status = ?")) {
                counting.setString(1, status.name());
                try (var rows = counting.executeQuery()) {
                    rows.next();
                    if (rows.getLong(1) != count) {
                        throw new IllegalStateException(rows.getLong(1) + " jobs " + status + ", not " + count);
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        opened.close();
        ProcessSupport.deleteQuietly(dir);
    }
}
