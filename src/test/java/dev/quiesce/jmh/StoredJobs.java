package dev.quiesce.jmh;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;

import javax.sql.DataSource;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.jobs.JobStatus;

/** A benchmark's setup: many 0 ms {@code sleep} jobs written straight into the store's table, in one transaction. */
final class StoredJobs {

    private StoredJobs() {
    }

    /**
     * Writes {@code count} jobs of {@code status}, the i-th due at {@code runAtMillis + i}, and checks that the
     * table then holds exactly that many of that status.
     */
    static void insert(DataSource dataSource, JobIds ids, Clock clock, JobStatus status, int count, long runAtMillis)
            throws SQLException {
        try (Connection connection = dataSource.getConnection();
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
}
