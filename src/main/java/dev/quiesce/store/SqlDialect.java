package dev.quiesce.store;

/** What differs between databases, kept small. */
interface SqlDialect {

    String name();

    /** Appended to the claim's candidate query (row locks, where the database has them). */
    String claimLockClause();

    /** True when one process owns the store, so every RUNNING job found at start was abandoned. */
    boolean singleInstance();

    static SqlDialect forUrl(String url) {
        if (url != null && url.startsWith("jdbc:sqlite:")) {
            return new SqliteDialect();
        }
        throw new UnsupportedStoreException(url);
    }
}
