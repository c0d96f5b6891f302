package dev.quiesce.store;

import dev.quiesce.testing.Postgres;

/** The operator's actions on a real PostgreSQL, started by the build. */
class PostgresJobActionsTest extends JobActionsContractTest {

    @Override
    protected TestStores.Opened open() {
        return TestStores.postgres(Postgres.newDatabase(), clock);
    }
}
