package dev.quiesce.store;

import java.sql.Connection;
import java.sql.SQLException;

/** What differs between databases, kept small. */
interface SqlDialect {

    String name();

    /** Appended to the claim's candidate query (row locks, where the database has them). */
    String claimLockClause();

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
