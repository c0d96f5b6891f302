package dev.quiesce.store;

import dev.quiesce.testing.Postgres;

/** The paused schedules' contract on a real PostgreSQL, started by the build. */
class PostgresSchedulePausesTest extends SchedulePausesContractTest {

    private String url;

    @Override
    protected TestStores.Opened open() {
        url = Postgres.newDatabase();
        return TestStores.postgres(url);
    }

    @Override
    protected TestStores.Opened reopen() {
        return TestStores.open(url);
    }
}
