package dev.quiesce.store;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The paused schedules' contract on SQLite. */
class SqliteSchedulePausesTest extends SchedulePausesContractTest {

    @TempDir
    Path dir;

    @Override
    protected TestStores.Opened open() {
        return TestStores.sqlite(dir.resolve("q.db"));
    }

    @Override
    protected TestStores.Opened reopen() {
        return TestStores.sqlite(dir.resolve("q.db"));
    }
}
