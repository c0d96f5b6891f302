package dev.quiesce.store;

/** SQLite: one process per file, one writer (ours), no row locks needed. */
final class SqliteDialect implements SqlDialect {

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String lockClause() {
        return "";
    }

    @Override
    public boolean singleInstance() {
        return true;
    }
}
