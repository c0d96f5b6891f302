package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.store.JobStore.Inserted;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.store.JobStore.QueuedCount;

/** The store contract on SQLite. */
class SqliteJobStoreTest extends JobStoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected TestStores.Opened open() {
        return TestStores.sqlite(dir.resolve("q.db"), clock);
    }

    @Test
    void oneProcessOwnsTheStoreSoItsCountInMemoryServesTheCapacityHoweverOld() {
        JobIds ids = new JobIds(clock);
        Instant counted = clock.instant();
        for (int i = 0; i < 3; i++) {
            assertThat(store.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 1_000))
                    .isInstanceOf(Inserted.class);
            clock.advance(Duration.ofMinutes(1));
        }
        assertThat(store.lastKnownQueued()).as("counted once, by the first insert").isEqualTo(
                new QueuedCount(3, counted));
    }
}
