package dev.quiesce.store;

import java.time.Clock;
import java.time.Duration;

import dev.quiesce.lifecycle.StoreHealth;

/** The paused schedules of a test store (see {@link TestStores}), through bounded calls of their own. */
public final class TestSchedulePauses implements AutoCloseable {

    private final StoreCalls calls;
    private final SchedulePauses pauses;

    private TestSchedulePauses(StoreCalls calls) {
        this.calls = calls;
        this.pauses = new JdbcSchedulePauses(calls);
    }

    /** The paused schedules kept in {@code opened}'s database; close before {@code opened}. */
    public static TestSchedulePauses on(TestStores.Opened opened) {
        return new TestSchedulePauses(new StoreCalls(opened.dataSource(), StoreConfiguration.MAX_BATCH,
                new StoreHealth(Clock.systemUTC(), Duration.ZERO), TestStores.TIMEOUT));
    }

    public SchedulePauses pauses() {
        return pauses;
    }

    @Override
    public void close() {
        calls.close(1_000);
    }
}
