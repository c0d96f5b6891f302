package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.quiesce.lifecycle.InstanceBeat;
import dev.quiesce.lifecycle.LifecycleState;
import dev.quiesce.lifecycle.StoreHealth;
import dev.quiesce.testing.Postgres;

/** The heartbeats' contract on a real PostgreSQL; and two instances see each other through one database. */
class PostgresInstanceStoreTest extends InstanceStoreContractTest {

    private String url;

    @Override
    protected TestStores.Opened open() {
        url = Postgres.newDatabase();
        return TestStores.postgres(url);
    }

    @Test
    void anInstanceSeesTheBeatOfAnotherSharingTheDatabase() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        Duration wait = TestStores.TIMEOUT;
        try (TestStores.Opened other = TestStores.open(url)) {
            StoreCalls otherCalls = new StoreCalls(other.dataSource(), StoreConfiguration.MAX_BATCH,
                    new StoreHealth(Clock.systemUTC(), Duration.ZERO), wait);
            try {
                InstanceBeat theirs = new InstanceBeat("b", LifecycleState.RUNNING, now, now, 4, "1");
                new JdbcInstances(otherCalls).beat(theirs, wait);
                InstanceBeat ours = new InstanceBeat("a", LifecycleState.RUNNING, now, now, 0, "1");
                instances.beat(ours, wait);

                assertThat(instances.seenSince(now, wait)).containsExactly(ours, theirs);
            } finally {
                otherCalls.close(1_000);
            }
        }
    }
}
