package dev.quiesce.requests;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.pool.JobWatch;
import dev.quiesce.processor.OutcomeProcessor;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/** The reads driven directly, without Spring, against a real SQLite store (moved here from JobPoolTest). */
@Timeout(30)
class JobQueriesTest {

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobTypes types = Jobs.catalog();
    private TestStores.Opened opened;
    private JobStore store;

    @BeforeEach
    void setUp() {
        opened = TestStores.sqlite(dir.resolve("q.db"));
        store = opened.jobs();
    }

    @AfterEach
    void tearDown() {
        opened.close();
    }

    /** A new job, claimed: RUNNING in the store under owner "o". */
    private Job runningJob() {
        Jobs.insert(store, types, clock, "sleep", "{\"durationMs\":1}");
        Instant now = clock.instant();
        return store.claim(new JobStore.ClaimRequest(1, "o", "i", now, now.plusSeconds(30), 5, 1)).started().get(0);
    }

    @Test
    void aFinishedOutcomeIsVisibleBeforeItIsWritten() {
        OutcomeProcessor slow = new OutcomeProcessor(store, Duration.ofHours(1), 1000);
        Job running = runningJob();
        String id = running.id();
        Instant now = clock.instant();
        slow.accept(FinishedJob.ended(running, "o", JobStatus.SUCCEEDED, now, Duration.ZERO, "{}", null));
        JobQueries queries = new JobQueries(store, slow, new JobWatch());
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(queries.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
        assertThat(slow.flushOnce()).isEqualTo(1);
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(JobStatus.SUCCEEDED);
    }

    @Test
    void anOutcomeWrittenWhileTheRowsAreReadIsStillShown() {
        OutcomeProcessor slow = new OutcomeProcessor(store, Duration.ofHours(1), 1000);
        Job running = runningJob();
        String id = running.id();
        Instant now = clock.instant();
        // The store answers each read, then the flusher writes what is pending before the reader looks at it.
        JobStore flushedAfterEachRead = (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                new Class<?>[] {JobStore.class}, (proxy, method, args) -> {
                    Object answer = method.invoke(store, args);
                    if (method.getName().equals("find") || method.getName().equals("list")) {
                        slow.flushOnce();
                    }
                    return answer;
                });
        JobQueries queries = new JobQueries(flushedAfterEachRead, slow, new JobWatch());

        slow.accept(FinishedJob.ended(running, "o", JobStatus.SUCCEEDED, now, Duration.ZERO, "{}", null));
        assertThat(queries.find(id).orElseThrow().status()).as("one job").isEqualTo(JobStatus.SUCCEEDED);
        assertThat(slow.unwritten()).as("written during the read").isZero();

        Job secondRunning = runningJob();
        String second = secondRunning.id();
        slow.accept(FinishedJob.ended(secondRunning, "o", JobStatus.FAILED, now, Duration.ZERO, null, "boom"));
        assertThat(queries.list(null, null, null, 10)).as("unfiltered list")
                .filteredOn(job -> job.id().equals(second)).extracting(Job::status)
                .containsExactly(JobStatus.FAILED);
        assertThat(slow.unwritten()).as("written during the read").isZero();
    }
}
