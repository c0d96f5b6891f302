package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobIds;
import dev.quiesce.store.JobStore.ClaimRequest;
import dev.quiesce.store.JobStore.NewJob;
import dev.quiesce.testing.Postgres;

/** The store contract on a real PostgreSQL, started by the build (no test is skipped for want of a server). */
class PostgresJobStoreTest extends JobStoreContractTest {

    private String url;

    @Override
    protected TestStores.Opened open() {
        url = Postgres.newDatabase();
        return TestStores.postgres(url, clock);
    }

    @Test
    void twoInstancesClaimingAtOnceNeverTakeTheSameJob() throws Exception {
        JobIds ids = new JobIds(clock);
        Set<String> all = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            NewJob job = new NewJob(ids.next(), "sleep", "{}", null, null, clock.instant());
            store.insert(job, 10_000);
            all.add(job.id());
        }
        ConcurrentLinkedQueue<String> claimed = new ConcurrentLinkedQueue<>();
        try (TestStores.Opened other = TestStores.open(url)) {
            ExecutorService threads = Executors.newFixedThreadPool(8);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                JobStore instance = t % 2 == 0 ? store : other.jobs();
                String owner = "owner-" + t;
                done.add(threads.submit(() -> {
                    while (true) {
                        Instant now = Instant.now();
                        List<Job> got = instance.claim(new ClaimRequest(3, owner, owner, now, now.plusSeconds(30), 5,
                                3, job -> true)).started();
                        if (got.isEmpty()) {
                            return;
                        }
                        got.forEach(job -> claimed.add(job.id()));
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
            threads.shutdown();
        }
        assertThat(claimed).hasSize(300).doesNotHaveDuplicates();
        assertThat(new HashSet<>(claimed)).isEqualTo(all);
    }

    @Test
    void anIdempotencyKeyIsUniqueAcrossInstances() {
        JobIds ids = new JobIds(clock);
        try (TestStores.Opened other = TestStores.open(url)) {
            JobStore.InsertResult first = store.insert(new NewJob(ids.next(), "sleep", "{}", "k", "h",
                    clock.instant()), 100);
            JobStore.InsertResult second = other.jobs().insert(new NewJob(ids.next(), "sleep", "{}", "k", "h",
                    clock.instant()), 100);
            assertThat(second).isInstanceOfSatisfying(JobStore.Existing.class, existing -> assertThat(
                    existing.job().id()).isEqualTo(((JobStore.Inserted) first).job().id()));
        }
    }
}
