package dev.quiesce.store;

import java.sql.Connection;
import java.sql.SQLException;

/** What differs between databases, kept small. */
interface SqlDialect {

    String name();

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
    default NewWorkListener newWorkListener(javax.sql.DataSource dataSource, Runnable onNewWork) {
        return null;
    }

    static SqlDialect forUrl(String url) {
        if (url != null && url.startsWith("jdbc:sqlite:")) {
            return new SqliteDialect();
        }
        if (url != null && url.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        throw new UnsupportedStoreException(url);
    }
}
