package dev.quiesce.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;

/** Rows of the {@code jobs} table as {@link Job}s, and the few query helpers the store's SQL shares. */
final class JobRows {

    /** Every column a {@link Job} is read from. */
    static final String COLUMNS = "id, type, params, status, attempts, submitted_at, started_at, finished_at, "
            + "result, error, idempotency_key, instance, cancel_requested, run_at, priority, timeout_ms, retries, failures, "
            + "retried_attempts, retried_failures";
    /** The start of every query that reads whole jobs; a {@code WHERE} clause follows. */
    static final String SELECT = "SELECT " + COLUMNS + " FROM jobs";

    private JobRows() {
    }

    static Optional<Job> queryOne(Connection connection, String sql, Object... args) throws SQLException {
        List<Job> jobs = query(connection, sql, args);
        return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
    }

    static List<Job> query(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                List<Job> jobs = new ArrayList<>();
                while (rows.next()) {
                    jobs.add(toJob(rows));
                }
                return jobs;
            }
        }
    }

    static Optional<String> queryString(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        }
    }

    static int update(Connection connection, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args);
            return statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg == null) {
                statement.setNull(i + 1, Types.VARCHAR);
            } else if (arg instanceof Long value) {
                statement.setLong(i + 1, value);
            } else if (arg instanceof Integer value) {
                statement.setInt(i + 1, value);
            } else {
                statement.setString(i + 1, arg.toString());
            }
        }
    }

    private static Job toJob(ResultSet row) throws SQLException {
        return new Job(row.getString("id"), row.getString("type"), row.getString("params"),
                JobStatus.valueOf(row.getString("status")), row.getInt("attempts"), instant(row, "submitted_at"),
                instant(row, "started_at"), instant(row, "finished_at"), row.getString("result"),
                row.getString("error"), row.getString("idempotency_key"), row.getString("instance"),
                row.getInt("cancel_requested") != 0, options(row), row.getInt("failures"),
                row.getInt("retried_attempts"), row.getInt("retried_failures"));
    }

    private static RunOptions options(ResultSet row) throws SQLException {
        long timeoutMs = row.getLong("timeout_ms");
        Duration timeout = row.wasNull() ? null : Duration.ofMillis(timeoutMs);
        return RunOptions.of(instant(row, "run_at"), row.getInt("priority"), timeout, row.getInt("retries"));
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        long millis = row.getLong(column);
        return row.wasNull() ? null : Instant.ofEpochMilli(millis);
    }
}
