package dev.quiesce.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The operator's actions on SQLite. */
class SqliteJobActionsTest extends JobActionsContractTest {

    @TempDir
    Path dir;

    @Override
    protected TestStores.Opened open() {
        return TestStores.sqlite(dir.resolve("q.db"), clock);
    }
}
