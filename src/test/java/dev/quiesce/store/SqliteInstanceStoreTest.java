package dev.quiesce.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The heartbeats' contract on SQLite. */
class SqliteInstanceStoreTest extends InstanceStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected TestStores.Opened open() {
        return TestStores.sqlite(dir.resolve("q.db"));
    }
}
