package dev.quiesce.store.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import dev.quiesce.store.NewWorkListener;
import dev.quiesce.store.SqlDialect;

/**
 * PostgreSQL: several instances share the table. Claims lock their rows and skip rows other instances
 * hold ({@code FOR UPDATE SKIP LOCKED}), so a job never runs on two instances at once; new work is
 * announced with {@code NOTIFY} so idle instances pick it up at once. The data source bounds opening a
 * connection ({@code connectTimeout}, {@code loginTimeout}) and an answer on an open one
 * ({@code socketTimeout}: a stalled or partitioned server otherwise holds a thread forever; twice the
 * timeout, since callers give up after one timeout anyway and this only frees the thread).
 */
public final class PostgresDialect implements SqlDialect {

    private static final String CHANNEL = "quiesce_jobs";

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String urlPrefix() {
        return "jdbc:postgresql:";
    }

    @Override
    public void prepare(HikariDataSource hikari, Duration timeout) {
        long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
        setUnlessGiven(hikari, "connectTimeout", seconds);
        setUnlessGiven(hikari, "loginTimeout", seconds);
        setUnlessGiven(hikari, "socketTimeout", 2 * seconds);
        setUnlessGiven(hikari, "tcpKeepAlive", "true");
    }

    private static void setUnlessGiven(HikariDataSource hikari, String property, Object value) {
        if (!hikari.getJdbcUrl().contains(property + "=")
                && !hikari.getDataSourceProperties().containsKey(property)) {
            hikari.addDataSourceProperty(property, value.toString());
        }
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
