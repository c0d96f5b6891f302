package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.quiesce.lifecycle.InstanceBeat;
import dev.quiesce.lifecycle.LifecycleState;
import dev.quiesce.lifecycle.StoreHealth;

/**
 * What every store must do with the fleet's heartbeats, whatever the database; a subclass per database says
 * how to open a fresh, empty, migrated store.
 */
@Timeout(60)
abstract class InstanceStoreContractTest {

    private static final Duration WAIT = TestStores.TIMEOUT;
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private TestStores.Opened opened;
    private StoreCalls calls;
    protected JdbcInstances instances;

    /** A fresh, empty, migrated store. */
    protected abstract TestStores.Opened open();

    @BeforeEach
    void openStore() {
        opened = open();
        calls = new StoreCalls(opened.dataSource(), StoreConfiguration.MAX_BATCH,
                new StoreHealth(Clock.systemUTC(), Duration.ZERO), WAIT);
        instances = new JdbcInstances(calls);
    }

    @AfterEach
    void closeStore() {
        calls.close(1_000);
        opened.close();
    }

    private static InstanceBeat beat(String id, LifecycleState state, Instant at, long running) {
        return new InstanceBeat(id, state, T0, at, running, "1.2.3");
    }

    @Test
    void aBeatIsReadBackWithEveryField() {
        InstanceBeat beat = beat("a", LifecycleState.RUNNING, T0.plusMillis(1_234), 3);

        instances.beat(beat, WAIT);

        assertThat(instances.seenSince(T0, WAIT)).containsExactly(beat);
    }

    @Test
    void theNextBeatOfAnInstanceReplacesItsRow() {
        instances.beat(beat("a", LifecycleState.RUNNING, T0, 3), WAIT);
        InstanceBeat last = beat("a", LifecycleState.STOPPED, T0.plusSeconds(10), 0);

        instances.beat(last, WAIT);

        assertThat(instances.seenSince(T0, WAIT)).containsExactly(last);
    }

    @Test
    void aBuildWithoutVersionBeatsWithNone() {
        InstanceBeat beat = new InstanceBeat("a", LifecycleState.STARTING, T0, T0, 0, null);

        instances.beat(beat, WAIT);

        assertThat(instances.seenSince(T0, WAIT)).containsExactly(beat);
    }

    @Test
    void onlyInstancesSeenSinceTheGivenTimeAreListedById() {
        InstanceBeat silent = beat("a", LifecycleState.RUNNING, T0, 1);
        InstanceBeat justInTime = beat("c", LifecycleState.DRAINING, T0.plusSeconds(60), 2);
        InstanceBeat recent = beat("b", LifecycleState.RUNNING, T0.plusSeconds(90), 0);
        instances.beat(silent, WAIT);
        instances.beat(justInTime, WAIT);
        instances.beat(recent, WAIT);

        assertThat(instances.seenSince(T0.plusSeconds(60), WAIT)).containsExactly(recent, justInTime);
    }

    @Test
    void forgettingDeletesOnlyTheRowsSilentSinceBefore() {
        instances.beat(beat("a", LifecycleState.RUNNING, T0, 1), WAIT);
        InstanceBeat kept = beat("b", LifecycleState.RUNNING, T0.plusSeconds(60), 0);
        instances.beat(kept, WAIT);

        assertThat(instances.forgetSilentBefore(T0.plusSeconds(60), WAIT)).isOne();

        assertThat(instances.seenSince(Instant.EPOCH, WAIT)).containsExactly(kept);
    }
}
