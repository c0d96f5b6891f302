package dev.quiesce.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

/**
 * PostgreSQL: several instances share the table. Claims lock their rows and skip rows other instances
 * hold ({@code FOR UPDATE SKIP LOCKED}), so a job never runs on two instances at once; new work is
 * announced with {@code NOTIFY} so idle instances pick it up at once.
 */
final class PostgresDialect implements SqlDialect {

    static final String CHANNEL = "quiesce_jobs";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String lockClause() {
        return " FOR UPDATE SKIP LOCKED";
    }

    @Override
    public boolean singleInstance() {
        return false;
    }

    @Override
    public void announceNewWork(Connection connection) throws SQLException {
        try (Statement notify = connection.createStatement()) {
            notify.execute("NOTIFY " + CHANNEL);
        }
    }

    @Override
    public NewWorkListener newWorkListener(DataSource dataSource, Runnable onNewWork) {
        return new PostgresNewWorkListener(dataSource, CHANNEL, onNewWork);
    }
}
