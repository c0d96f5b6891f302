package dev.quiesce.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite. */
class SqliteJobStoreTest extends JobStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected TestStores.Opened open() {
        return TestStores.sqlite(dir.resolve("q.db"), clock);
    }
}
