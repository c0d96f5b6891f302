package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every store keeps of paused schedules, whatever the database; a subclass per database opens it. */
@Timeout(60)
abstract class SchedulePausesContractTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    private TestStores.Opened opened;
    private TestSchedulePauses handle;
    protected SchedulePauses pauses;

    /** A fresh, empty, migrated store. */
    protected abstract TestStores.Opened open();

    /** Another store on the same database as the last {@link #open()}: a second instance, or the next start. */
    protected abstract TestStores.Opened reopen();

    @BeforeEach
    void openStore() {
        opened = open();
        handle = TestSchedulePauses.on(opened);
        pauses = handle.pauses();
    }

    @AfterEach
    void closeStore() {
        handle.close();
        opened.close();
    }

    @Test
    void noScheduleIsPausedAtFirst() {
        assertThat(pauses.paused()).isEmpty();
    }

    @Test
    void aPausedScheduleIsListedUntilItIsResumed() {
        pauses.pause("nightly", AT);
        pauses.pause("hourly", AT);
        assertThat(pauses.paused()).containsExactlyInAnyOrder("nightly", "hourly");

        pauses.resume("nightly");
        assertThat(pauses.paused()).containsExactly("hourly");
    }

    @Test
    void pausingTwiceAndResumingTwiceChangeNothingMore() {
        pauses.pause("nightly", AT);
        pauses.pause("nightly", AT.plusSeconds(5));
        assertThat(pauses.paused()).containsExactly("nightly");

        pauses.resume("nightly");
        pauses.resume("nightly");
        pauses.resume("never-paused");
        assertThat(pauses.paused()).isEmpty();
    }

    @Test
    void aPauseIsSeenByAnotherInstanceAndAfterARestart() {
        pauses.pause("nightly", AT);
        try (TestStores.Opened other = reopen(); TestSchedulePauses otherPauses = TestSchedulePauses.on(other)) {
            assertThat(otherPauses.pauses().paused()).containsExactly("nightly");
            otherPauses.pauses().resume("nightly");
        }
        assertThat(pauses.paused()).isEmpty();
    }
}
