package dev.quiesce.store;

import java.time.Clock;
import java.time.Duration;

import dev.quiesce.lifecycle.InstanceStore;
import dev.quiesce.lifecycle.StoreHealth;

/** The real heartbeats' store on an opened test store, for tests outside the store's package. */
public final class TestInstanceStores {

    private TestInstanceStores() {
    }

    /** The heartbeats' store and the calls it makes, closed before the store it was opened on. */
    public record Opened(InstanceStore instances, StoreCalls calls) implements AutoCloseable {
        @Override
        public void close() {
            calls.close(1_000);
        }
    }

    /** Heartbeats on {@code store}'s database, each call waiting at most {@code timeout}. */
    public static Opened on(TestStores.Opened store, Duration timeout) {
        StoreCalls calls = new StoreCalls(store.dataSource(), StoreConfiguration.MAX_BATCH,
                new StoreHealth(Clock.systemUTC(), Duration.ZERO), timeout);
        return new Opened(new JdbcInstances(calls), calls);
    }
}
