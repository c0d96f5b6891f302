package dev.quiesce.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

/**
 * What differs between databases, kept small: the store's SQL is written once, and each database adds only
 * this. Implementations live in {@code store.sqlite} and {@code store.postgres}; {@link StoreConfiguration}
 * picks one by the data source's URL, so the store never names them.
 */
public interface SqlDialect {

    /** The database's name, as Flyway's {@code {vendor}} spells it (the folder of its migrations). */
    String name();

    /** The JDBC URLs of this database start with this. */
    String urlPrefix();

    /**
     * Sets up the data source for this database: what the store needs of it, with every wait bounded by
     * {@code timeout}. Settings the user gave in the URL or as data source properties win.
     *
     * @throws java.io.UncheckedIOException if the database cannot be set up where the URL says
     */
    void prepare(HikariDataSource dataSource, Duration timeout);

    /**
     * Appended to a query that reads rows in order to change them (a claim's candidates, a takeover's expired
     * leases): locks them, skipping rows another transaction holds, where the database has row locks.
     */
    String lockClause();

    /** True when one process owns the store, so every RUNNING job found at start was abandoned. */
    boolean singleInstance();

    /** Tells other instances, on commit, that new work is queued (no-op where one process owns the store). */
    default void announceNewWork(Connection connection) throws SQLException {
    }

    /** Listens for new work announced by other instances; {@code null} where there are none. */
    default NewWorkListener newWorkListener(DataSource dataSource, Runnable onNewWork) {
        return null;
    }
}
