package dev.quiesce.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobEvents;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.types.JobTypes;
import dev.quiesce.lifecycle.Deadline;
import dev.quiesce.pool.JobPool.Mode;
import dev.quiesce.store.JobStore;
import dev.quiesce.store.TestStores;
import dev.quiesce.testing.GateJob;
import dev.quiesce.testing.Jobs;
import dev.quiesce.testing.MutableClock;

/** Where idle workers get their jobs, against a real SQLite store and a clock the test moves. */
@Timeout(30)
class ClaimedJobsTest {

    private static final String OWNER = "test/claims";
    private static final JobPool.Settings SETTINGS = new JobPool.Settings(3, "test", 2, Duration.ofSeconds(30),
            Duration.ofMillis(50));

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final JobTypes types = Jobs.catalog(new GateJob());
    private final RunTimes runTimes = new RunTimes();
    private final DrainAdmission admission = new DrainAdmission(types, runTimes);
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OPEN);
    private final AtomicInteger wakes = new AtomicInteger();
    private final Set<String> finished = ConcurrentHashMap.newKeySet();
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

    private ClaimedJobs claimedJobs(JobStore on) {
        return new ClaimedJobs(on, clock, SETTINGS, OWNER, admission, runTimes, mode::get, wakes::incrementAndGet,
                JobEvents.NONE, finished::add);
    }

    /** Inserts a job, a millisecond after the last one: ids are time-ordered, so the first inserted is oldest. */
    private String queue(String type, String params) {
        clock.advance(Duration.ofMillis(1));
        return Jobs.insert(store, types, clock, type, params);
    }

    private Job stored(String id) {
        return store.find(id).orElseThrow();
    }

    @Test
    void anIdleWorkerClaimsTheOldestQueuedJobAndItIsStartedForThisPool() {
        String oldest = queue("sleep", "{\"durationMs\":1}");
        String newer = queue("sleep", "{\"durationMs\":1}");
        ClaimedJobs claimed = claimedJobs(store);

        Optional<Job> job = claimed.next(Mode.OPEN);

        assertThat(job).map(Job::id).contains(oldest);
        assertThat(stored(oldest).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(stored(oldest).attempts()).isEqualTo(1);
        assertThat(stored(oldest).instance()).isEqualTo("test");
        assertThat(stored(newer).status()).as("a claim takes no more than the workers looking")
                .isEqualTo(JobStatus.QUEUED);
        assertThat(claimed.count()).isZero();
    }

    private long runningInStore() {
        return store.list(JobStatus.RUNNING, null, null, 1000, List.of()).size();
    }

    @Test
    void whileRecentRunsAreQuickAClaimTakesJobsAheadOfTheWorkersAndTopsThemUpBeforeTheyRunOut() {
        for (int i = 0; i < 40; i++) {
            queue("sleep", "{\"durationMs\":0}");
        }
        runTimes.ended("sleep", Duration.ofNanos(100_000)); // 0.1 ms: 3 workers run 30 in ClaimAhead.WAIT
        ClaimedJobs claimed = claimedJobs(store);

        assertThat(claimed.next(Mode.OPEN)).isPresent();
        assertThat(runningInStore()).as("the worker looking and 30 ahead").isEqualTo(31);
        assertThat(claimed.count()).isEqualTo(30);

        assertThat(claimed.next(Mode.OPEN)).as("taken from those claimed ahead").isPresent();
        assertThat(runningInStore()).isEqualTo(31);
        assertThat(claimed.count()).isEqualTo(29);

        assertThat(claimed.next(Mode.OPEN)).isPresent();
        assertThat(runningInStore()).as("topped up to 30 ahead before taking one").isEqualTo(33);
        assertThat(claimed.count()).isEqualTo(30);
    }

    @Test
    void aWorkerThatTakesAJobNotKnownToBeQuickPutsTheJobsClaimedAheadBackFirst() {
        String gated = queue("gate", "{\"gate\":\"g\"}");
        List<String> behind = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            behind.add(queue("sleep", "{\"durationMs\":0}"));
        }
        runTimes.ended("sleep", Duration.ofNanos(100_000));
        ClaimedJobs claimed = claimedJobs(store);

        assertThat(claimed.next(Mode.OPEN)).map(Job::id).contains(gated);

        assertThat(claimed.count()).isZero();
        assertThat(behind).allSatisfy(id -> {
            assertThat(stored(id).status()).isEqualTo(JobStatus.QUEUED);
            assertThat(stored(id).attempts()).isZero();
            assertThat(stored(id).startedAt()).isNull();
        });
    }

    @Test
    void oneSlowRunAmongQuickOnesStopsClaimingAhead() {
        String oldest = queue("sleep", "{\"durationMs\":0}");
        String newer = queue("sleep", "{\"durationMs\":0}");
        runTimes.ended("sleep", Duration.ofNanos(100_000));
        runTimes.ended("sleep", Duration.ofMillis(50));

        assertThat(claimedJobs(store).next(Mode.OPEN)).map(Job::id).contains(oldest);
        assertThat(stored(newer).status()).isEqualTo(JobStatus.QUEUED);
    }

    @Test
    void jobsClaimedAheadGoBackUnstartedWhenTheIntakeCloses() {
        for (int i = 0; i < 10; i++) {
            queue("sleep", "{\"durationMs\":0}");
        }
        runTimes.ended("sleep", Duration.ofNanos(100_000));
        ClaimedJobs claimed = claimedJobs(store);
        String first = claimed.next(Mode.OPEN).orElseThrow().id();

        claimed.releaseAll();

        assertThat(claimed.count()).isZero();
        assertThat(runningInStore()).as("only the job a worker took").isEqualTo(1);
        assertThat(stored(first).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(store.list(JobStatus.QUEUED, null, null, 100, List.of())).hasSize(9)
                .allSatisfy(job -> assertThat(job.attempts()).isZero());
    }

    @Test
    void jobsClaimedAheadJustAsTheDrainBeginsAndThatDoNotFitGoBackOnceAndTheWorkerStopsLooking() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(queue("sleep", "{\"durationMs\":60000}"));
        }
        runTimes.ended("sleep", Duration.ofNanos(100_000));
        AtomicInteger claims = new AtomicInteger();
        // The drain begins (5 s left: a 60 s job does not fit) while the first claim, made open, commits.
        JobStore drainBeginsDuringTheFirstClaim = (JobStore) Proxy.newProxyInstance(
                JobStore.class.getClassLoader(), new Class<?>[] { JobStore.class }, (proxy, method, args) -> {
                    Object answer;
                    try {
                        answer = method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    if (method.getName().equals("claim") && claims.incrementAndGet() == 1) {
                        admission.begin(Deadline.after(clock, Duration.ofSeconds(5)));
                        mode.set(Mode.DRAINING);
                    }
                    return answer;
                });
        ClaimedJobs claimed = claimedJobs(drainBeginsDuringTheFirstClaim);

        assertThat(claimed.next(Mode.OPEN)).as("nothing fits the time left").isEmpty();

        assertThat(claims).as("the open claim, then one as a drain").hasValueLessThanOrEqualTo(2);
        assertThat(claimed.count()).isZero();
        assertThat(ids).allSatisfy(id -> {
            assertThat(stored(id).status()).isEqualTo(JobStatus.QUEUED);
            assertThat(stored(id).attempts()).isZero();
        });
    }

    @Test
    void aDrainClaimsNothingAheadHoweverQuickTheRuns() {
        queue("sleep", "{\"durationMs\":0}");
        queue("sleep", "{\"durationMs\":0}");
        runTimes.ended("sleep", Duration.ofNanos(100_000));
        admission.begin(Deadline.after(clock, Duration.ofSeconds(5)));
        mode.set(Mode.DRAINING);

        assertThat(claimedJobs(store).next(Mode.DRAINING)).isPresent();
        assertThat(runningInStore()).isEqualTo(1);
    }

    @Test
    void withNothingQueuedThereIsNoJob() {
        assertThat(claimedJobs(store).next(Mode.OPEN)).isEmpty();
    }

    @Test
    void whileDrainingAQueuedJobThatCannotFinishInTheTimeLeftIsLeftQueuedUnstarted() {
        String tooLong = queue("sleep", "{\"durationMs\":60000}");
        String fits = queue("sleep", "{\"durationMs\":10}");
        admission.begin(Deadline.after(clock, Duration.ofSeconds(5)));
        mode.set(Mode.DRAINING);

        Optional<Job> job = claimedJobs(store).next(Mode.DRAINING);

        assertThat(job).map(Job::id).contains(fits);
        assertThat(stored(tooLong).status()).isEqualTo(JobStatus.QUEUED);
        assertThat(stored(tooLong).attempts()).isZero();
    }

    @Test
    void aJobStartedMaxAttemptsTimesEndsFailedAsPoisonAndIsReportedFinishedNotHandedOut() {
        String id = queue("gate", "{\"gate\":\"p\"}");
        Instant now = clock.instant();
        for (int attempt = 1; attempt <= SETTINGS.maxAttempts(); attempt++) {
            store.claim(new JobStore.ClaimRequest(1, "dead-" + attempt, "dead", now, now.plusSeconds(30),
                    SETTINGS.maxAttempts(), 1));
            store.recoverAbandoned(now, 99);
        }

        assertThat(claimedJobs(store).next(Mode.OPEN)).isEmpty();

        assertThat(finished).containsExactly(id);
        assertThat(stored(id).status()).isEqualTo(JobStatus.FAILED);
    }

    @Test
    void workersThatWaitForAClaimUnderWayAreAllServedByOneClaimAfterIt() throws Exception {
        List<String> ids = List.of(queue("sleep", "{\"durationMs\":1}"), queue("sleep", "{\"durationMs\":1}"),
                queue("sleep", "{\"durationMs\":1}"));
        CountDownLatch firstClaimMayAnswer = new CountDownLatch(1);
        AtomicInteger claims = new AtomicInteger();
        JobStore slowFirstClaim = (JobStore) Proxy.newProxyInstance(JobStore.class.getClassLoader(),
                new Class<?>[] { JobStore.class }, (proxy, method, args) -> {
                    if (method.getName().equals("claim") && claims.incrementAndGet() == 1) {
                        firstClaimMayAnswer.await(10, TimeUnit.SECONDS);
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        ClaimedJobs claimed = claimedJobs(slowFirstClaim);

        List<Thread> workers = new ArrayList<>();
        List<CompletableFuture<Optional<Job>>> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Optional<Job>> jobFor = new CompletableFuture<>();
            Thread worker = new Thread(() -> jobFor.complete(claimed.next(Mode.OPEN)), "test-worker-" + i);
            worker.start();
            workers.add(worker);
            taken.add(jobFor);
            if (i == 0) {
                await().atMost(Duration.ofSeconds(10)).until(() -> claims.get() == 1); // the first claims, slowly
            }
        }
        // The two others wait for the first one's claim instead of claiming too.
        await().atMost(Duration.ofSeconds(10)).until(() -> workers.subList(1, 3).stream()
                .allMatch(worker -> worker.getState() == Thread.State.WAITING));
        assertThat(claims).hasValue(1);

        firstClaimMayAnswer.countDown();

        List<String> got = new ArrayList<>();
        for (CompletableFuture<Optional<Job>> jobFor : taken) {
            got.add(jobFor.get(10, TimeUnit.SECONDS).orElseThrow().id());
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(claims).as("the first worker's claim, then one claim for both that waited").hasValue(2);
        assertThat(claimed.count()).isZero();
        assertThat(ids).allSatisfy(id -> assertThat(stored(id).attempts()).isEqualTo(1));
    }
}
