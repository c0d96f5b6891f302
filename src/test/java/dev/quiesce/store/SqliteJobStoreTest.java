package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.JobIds;
import dev.quiesce.lifecycle.StoreHealth;
import dev.quiesce.store.JobStore.Inserted;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.store.JobStore.QueuedCount;
import dev.quiesce.store.sqlite.SqliteDialect;

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

    @Test
    void afterACommitThatFailedTheNextCheckCountsInTheDatabase() {
        // A store whose commit is written but answers with a failure: the count in memory misses its job.
        AtomicBoolean failCommits = new AtomicBoolean();
        DataSource data = FailingCommits.wrap(opened().dataSource(), failCommits, true);
        JobStore failing = new JdbcJobStore(new StoreCalls(data, StoreConfiguration.MAX_BATCH,
                new StoreHealth(Clock.systemUTC(), Duration.ZERO), TestStores.TIMEOUT), data, new SqliteDialect(),
                clock);
        try {
            JobIds ids = new JobIds(clock);
            assertThat(failing.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 1_000))
                    .isInstanceOf(Inserted.class);
            failCommits.set(true);
            assertThatThrownBy(() -> failing.insert(new NewJob(ids.next(), "sleep", "{}", null, null,
                    clock.instant()), 1_000)).isInstanceOf(StoreUnavailableException.class);
            failCommits.set(false);
            clock.advance(Duration.ofMillis(100));

            assertThat(failing.insert(new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant()), 1_000))
                    .isInstanceOf(Inserted.class);
            assertThat(failing.lastKnownQueued()).as("counted again: the job whose commit failed is there")
                    .isEqualTo(new QueuedCount(3, clock.instant()));
        } finally {
            failing.close(1_000);
        }
    }
}
