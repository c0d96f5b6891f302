package dev.quiesce.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import dev.quiesce.store.TestInstanceStores;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.MutableClock;

/** The heartbeat against a real SQLite store, on a clock the test moves. */
@Timeout(60)
class HeartbeatTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration WAIT = TestStores.TIMEOUT;

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final Instant t0 = clock.instant();
    private final AtomicLong running = new AtomicLong();
    /** The pool's count, as the pool's JobCounter gives it: here set by the test. */
    private final JobCounter counter = new JobCounter() {
        @Override
        public long queued() {
            return 0;
        }

        @Override
        public long running() {
            return running.get();
        }
    };
    private final ShutdownCoordinator coordinator = new ShutdownCoordinator(clock, Duration.ofSeconds(8), "a",
            counter);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private TestStores.Opened store;
    private TestInstanceStores.Opened opened;
    private InstanceStore instances;
    private Heartbeat heartbeat;

    @BeforeEach
    void open() {
        store = TestStores.sqlite(dir.resolve("q.db"));
        opened = TestInstanceStores.on(store, WAIT);
        instances = opened.instances();
        heartbeat = new Heartbeat(instances, coordinator, counter, clock, "a", "1.2.3", LEASE, WAIT);
        logged.start();
        ((Logger) LoggerFactory.getLogger(Heartbeat.class)).addAppender(logged);
    }

    @AfterEach
    void close() {
        heartbeat.stop(Deadline.after(clock, Duration.ZERO));
        ((Logger) LoggerFactory.getLogger(Heartbeat.class)).detachAppender(logged);
        opened.close();
        store.close();
    }

    private Optional<InstanceBeat> stored(String id) {
        return instances.seenSince(Instant.EPOCH, WAIT).stream().filter(beat -> beat.id().equals(id)).findFirst();
    }

    private static List<String> ids(List<InstanceBeat> beats) {
        return beats.stream().map(InstanceBeat::id).toList();
    }

    @Test
    void aBeatStoresThisInstancesStateRunningCountStartAndVersion() {
        coordinator.started();
        running.set(2);
        clock.advance(Duration.ofSeconds(5));

        heartbeat.beatOnce();

        assertThat(stored("a")).contains(new InstanceBeat("a", LifecycleState.RUNNING, t0, t0.plusSeconds(5), 2,
                "1.2.3"));
        assertThat(heartbeat.instances()).containsExactly(stored("a").orElseThrow());
    }

    @Test
    void theListingHoldsEveryInstanceSeenInTheLastThreeLeasesAndASilentOneDropsOutAndIsForgotten() {
        instances.beat(new InstanceBeat("b", LifecycleState.RUNNING, t0, t0, 1, "1.2.3"), WAIT);
        heartbeat.beatOnce();
        assertThat(ids(heartbeat.instances())).containsExactly("a", "b");

        clock.advance(LEASE.multipliedBy(3)); // b's last beat is exactly three leases old: still listed
        heartbeat.beatOnce();
        assertThat(ids(heartbeat.instances())).containsExactly("a", "b");

        clock.advance(Duration.ofMillis(1));
        heartbeat.beatOnce();
        assertThat(ids(heartbeat.instances())).containsExactly("a");
        assertThat(stored("b")).isEmpty();
    }

    @Test
    void betweenBeatsTheListingAgesWithTheClockAndNeverAsksTheStore() {
        instances.beat(new InstanceBeat("b", LifecycleState.RUNNING, t0, t0, 1, "1.2.3"), WAIT);
        heartbeat.beatOnce();
        clock.advance(LEASE);
        instances.beat(new InstanceBeat("c", LifecycleState.RUNNING, t0, clock.instant(), 0, "1.2.3"), WAIT);
        assertThat(ids(heartbeat.instances())).as("c beat after our last beat").containsExactly("a", "b");

        clock.advance(LEASE.multipliedBy(2).plusMillis(1));

        assertThat(heartbeat.instances()).as("no beat for over three leases: nobody is known to be there")
                .isEmpty();
    }

    @Test
    void aFailingBeatIsLoggedOnceAndOnceMoreWhenItIsStoredAgain() throws Exception {
        heartbeat.beatOnce();
        execute("ALTER TABLE instances RENAME TO instances_away");
        for (int i = 0; i < 3; i++) {
            clock.advance(heartbeat.every());
            heartbeat.beatOnce();
        }
        assertThat(logged.list).filteredOn(event -> event.getLevel() == Level.WARN).hasSize(1);

        execute("ALTER TABLE instances_away RENAME TO instances");
        clock.advance(heartbeat.every());
        heartbeat.beatOnce();

        assertThat(stored("a").orElseThrow().lastSeenAt()).isEqualTo(clock.instant());
        assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage).last().isEqualTo(
                "Heartbeat stored again");
        assertThat(logged.list).hasSize(2);
    }

    @Test
    void theLastBeatSaysStoppedAndNoBeatFollowsIt() {
        coordinator.started();
        heartbeat.beatOnce();
        coordinator.begin("test");
        clock.advance(Duration.ofSeconds(1));
        coordinator.finish();

        heartbeat.stop(coordinator.deadline());
        clock.advance(heartbeat.every());
        heartbeat.beatOnce();

        InstanceBeat last = stored("a").orElseThrow();
        assertThat(last.state()).isEqualTo(LifecycleState.STOPPED);
        assertThat(last.lastSeenAt()).isEqualTo(t0.plusSeconds(1));
        assertThat(heartbeat.instances()).containsExactly(last);
    }

    @Test
    void aStopWithNoTimeLeftWritesNoLastBeat() {
        coordinator.started();
        heartbeat.beatOnce();
        coordinator.begin("test");
        clock.advance(coordinator.budget());
        coordinator.finish();

        heartbeat.stop(coordinator.deadline());

        assertThat(stored("a").orElseThrow().state()).isEqualTo(LifecycleState.RUNNING);
    }

    @Test
    void itBeatsOnceBeforeItsStartReturnsThenEveryThirdOfTheLeaseAsTheClockMoves() {
        heartbeat.start();
        assertThat(heartbeat.instances()).extracting(InstanceBeat::lastSeenAt).containsExactly(t0);
        assertThat(stored("a").orElseThrow().lastSeenAt()).isEqualTo(t0);

        clock.advance(LEASE.dividedBy(3));

        await().atMost(Duration.ofSeconds(10))
                .until(() -> stored("a").orElseThrow().lastSeenAt().equals(t0.plus(LEASE.dividedBy(3))));
    }

    @Test
    void aNewLifecycleStateIsBeatenAtOnceNotAtTheNextPeriod() {
        coordinator.addListener(heartbeat.stateListener());
        heartbeat.start();
        assertThat(stored("a").orElseThrow().state()).isEqualTo(LifecycleState.STARTING);

        coordinator.started();
        await().atMost(Duration.ofSeconds(10)).until(() -> stored("a").orElseThrow().state(),
                LifecycleState.RUNNING::equals);
        coordinator.begin("test");
        await().atMost(Duration.ofSeconds(10)).until(() -> stored("a").orElseThrow().state(),
                LifecycleState.DRAINING::equals);

        assertThat(clock.instant()).as("the clock never moved: no period passed").isEqualTo(t0);
        assertThat(heartbeat.instances()).extracting(InstanceBeat::state).containsExactly(LifecycleState.DRAINING);
    }

    @Test
    void aBeatKeepsTimesToTheMillisecondAsTheStoreDoes() {
        clock.set(t0.plusNanos(1_234_567));

        heartbeat.beatOnce();

        assertThat(heartbeat.instances()).containsExactlyElementsOf(instances.seenSince(Instant.EPOCH, WAIT));
        assertThat(heartbeat.instances().get(0).lastSeenAt()).isEqualTo(t0.plusMillis(1));
    }

    @Test
    void theLastBeatComesAfterTheStopsEndAndBeforeTheStoreCloses() {
        assertThat(ShutdownPhases.LAST_HEARTBEAT).isLessThan(ShutdownPhases.STOP_END)
                .isGreaterThan(ShutdownPhases.STORE);
    }

    private void execute(String sql) throws Exception {
        try (Connection connection = store.dataSource().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
