package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

/**
 * Fleet mode with real processes: several quiesce JVMs started from the packaged jar share one PostgreSQL
 * queue (the embedded server of the test JVM). They split the work, survive a rolling restart behind a
 * retrying client without losing or duplicating a job, take over the jobs of an instance killed with
 * {@code kill -9} once its lease runs out, and each lists the whole fleet in {@code GET /instances}. Each test
 * prints its figures.
 */
class FleetProcessIT {

    private static final Duration FINISH_LIMIT = Duration.ofSeconds(120);

    @RegisterExtension
    static final Fleet fleet = new Fleet();

    // ---- a. two instances share the work

    private static final int SHARED_JOBS = 500;
    private static final String SHORT_JOB = "{\"type\":\"sleep\",\"params\":{\"durationMs\":5}}";

    @Test
    void whenTwoInstancesShareOneQueueThenEveryJobSucceedsExactlyOnceAndBothRunSome() throws Exception {
        List<QuiesceProcess> instances = fleet.start(List.of("fleet-a", "fleet-b"));
        QuiesceProcess a = instances.get(0);

        ExecutorService submitters = Executors.newFixedThreadPool(16);
        Instant submissionStart = Instant.now();
        long t0 = System.nanoTime();
        List<Future<Map.Entry<String, String>>> submitted = new ArrayList<>();
        for (int i = 0; i < SHARED_JOBS; i++) {
            QuiesceProcess to = instances.get(i % 2);
            submitted.add(submitters.submit(() -> Map.entry(to.submitAccepted(SHORT_JOB), to.instanceId())));
        }
        Map<String, String> submittedTo = new HashMap<>();
        for (Future<Map.Entry<String, String>> answer : submitted) {
            Map.Entry<String, String> idAndInstance = answer.get(60, TimeUnit.SECONDS);
            submittedTo.put(idAndInstance.getKey(), idAndInstance.getValue());
        }
        submitters.shutdown();
        long submittedNanos = System.nanoTime() - t0;
        Set<String> ids = submittedTo.keySet();
        assertThat(ids).as("distinct job ids answered").hasSize(SHARED_JOBS);

        await("all %d jobs finished".formatted(SHARED_JOBS)).atMost(FINISH_LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> unfinished(a) == 0);
        long observedNanos = System.nanoTime() - t0;

        List<JsonNode> jobs = a.allJobs();
        assertThat(jobs).as("jobs in the shared store").hasSize(SHARED_JOBS);
        assertThat(jobs).extracting(job -> job.get("id").asString()).containsExactlyInAnyOrderElementsOf(ids);
        for (JsonNode job : jobs) {
            assertThat(job.get("status").asString()).as("status of %s", job).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("attempts of %s (started once)", job).isEqualTo(1);
            assertThat(job.path("result").path("sleptMs").asInt()).as("result of %s", job).isEqualTo(5);
        }
        Map<String, Long> ranBy = jobs.stream()
                .collect(Collectors.groupingBy(job -> job.path("instance").asString(), TreeMap::new,
                        Collectors.counting()));
        assertThat(ranBy).as("jobs per instance").containsOnlyKeys("fleet-a", "fleet-b");

        Instant lastFinished = jobs.stream().map(job -> Instant.parse(job.get("finishedAt").asString()))
                .max(Instant::compareTo).orElseThrow();
        long millis = Duration.between(submissionStart, lastFinished).toMillis();
        // Jobs run by the instance they were not submitted to: it heard of them by NOTIFY (or its 1 s poll).
        List<Long> waits = jobs.stream()
                .filter(job -> !job.path("instance").asString().equals(submittedTo.get(job.get("id").asString())))
                .map(job -> Duration.between(Instant.parse(job.get("submittedAt").asString()),
                        Instant.parse(job.get("startedAt").asString())).toMillis())
                .sorted().toList();
        System.out.printf("fleet of 2: %d jobs (sleep 5 ms) submitted in %d ms, all finished %d ms after the first "
                + "submission = %.0f jobs/s (seen by polling after %d ms); ran by %s; %d ran on the other instance "
                + "than the one that took them, waiting median %d ms, max %d ms%n", SHARED_JOBS,
                TimeUnit.NANOSECONDS.toMillis(submittedNanos), millis, SHARED_JOBS * 1000.0 / Math.max(1, millis),
                TimeUnit.NANOSECONDS.toMillis(observedNanos), ranBy, waits.size(),
                waits.isEmpty() ? 0 : waits.get(waits.size() / 2), waits.isEmpty() ? 0 : waits.get(waits.size() - 1));
    }

    // ---- b. rolling restart behind a retrying client

    /** Long enough that a stopping instance has jobs running, and a restart leaves some queued. */
    private static final String ROLLING_JOB = "{\"type\":\"sleep\",\"params\":{\"durationMs\":200}}";
    private static final int CLIENTS = 3;
    /** How long the client keeps retrying one request on other instances before it gives up. */
    private static final Duration GIVE_UP_AFTER = Duration.ofSeconds(30);
    /** Every so many keys the client sends the request to two instances at once (the fleet-wide key race). */
    private static final int HEDGE_EVERY = 10;

    @Test
    void whenEveryInstanceIsRestartedInTurnUnderLoadThenEveryAcceptedJobSucceedsOnceAndNoRequestFails()
            throws Exception {
        List<QuiesceProcess> instances = new ArrayList<>(fleet.start(List.of("roll-1", "roll-2", "roll-3"),
                "--quiesce.shutdown.queued-jobs=requeue", "--quiesce.shutdown.budget=4s"));
        RetryingClient client = new RetryingClient(List.copyOf(instances));
        ExecutorService submitters = Executors.newFixedThreadPool(CLIENTS);
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            submitters.execute(() -> client.submitUntilStopped("roll-" + thread + "-"));
        }
        List<Integer> exits = new ArrayList<>();
        List<String> stops = new ArrayList<>();
        try {
            awaitMoreAccepted(client, 0, 100);
            for (int i = 0; i < instances.size(); i++) {
                QuiesceProcess old = instances.get(i);
                old.sigterm();
                int status = old.awaitExit(Fleet.EXIT_LIMIT);
                assertThat(status).as("exit status of %s after SIGTERM", old).isIn(0, 75);
                exits.add(status);
                int acceptedWhileDown = client.accepted.size();
                QuiesceProcess fresh = fleet.restart(old);
                instances.set(i, fresh);
                JsonNode stop = QuiesceProcess.json(fresh.get("/lifecycle")).get("lastShutdown");
                stops.add("%s: %d ms, drained %d, requeued %d, left queued %d".formatted(old.instanceId(),
                        stop.path("durationMs").asLong(), stop.path("drained").asLong(), stop.path("requeued").asLong(),
                        stop.path("leftQueued").asLong()));
                // Submission went on meanwhile; let it go on a little with the whole fleet up before the next one.
                awaitMoreAccepted(client, acceptedWhileDown, 50);
            }
        } finally {
            client.stop.set(true);
            submitters.shutdown();
            assertThat(submitters.awaitTermination(90, TimeUnit.SECONDS)).as("client threads stopped").isTrue();
            client.hedges.shutdown();
        }

        QuiesceProcess reader = instances.get(0);
        await("every job finished").atMost(FINISH_LIMIT).pollInterval(Duration.ofMillis(200))
                .until(() -> unfinished(reader) == 0);
        List<JsonNode> jobs = reader.allJobs();

        Map<String, List<JsonNode>> jobsByKey = jobs.stream()
                .collect(Collectors.groupingBy(job -> job.path("idempotencyKey").asString()));
        List<String> duplicates = jobsByKey.entrySet().stream().filter(entry -> entry.getValue().size() > 1)
                .map(Map.Entry::getKey).toList();
        Map<String, JsonNode> jobByKey = new HashMap<>();
        jobsByKey.forEach((key, sameKey) -> jobByKey.put(key, sameKey.get(0)));
        long succeeded = client.accepted.keySet().stream().map(jobByKey::get)
                .filter(job -> job != null && "SUCCEEDED".equals(job.get("status").asString())).count();
        long rerun = jobs.stream().filter(job -> job.get("attempts").asInt() > 1).count();
        Map<String, Long> ranBy = jobs.stream()
                .collect(Collectors.groupingBy(job -> job.path("instance").asString(), TreeMap::new,
                        Collectors.counting()));
        System.out.printf("rolling restart of 3: accepted %d, succeeded %d, duplicates %d, failed requests %d, "
                + "retries %d (503: %d, refused: %d, other I/O: %d), hedged keys %d; stored %d, run more than once %d, "
                + "exit statuses %s, ran by %s%n  stops: %s%n  other I/O errors: %s%n", client.accepted.size(),
                succeeded, duplicates.size(), client.failed.size(), client.retries(), client.retried503.get(),
                client.retriedRefused.get(), client.retriedIo.get(), client.hedged.get(), jobs.size(), rerun, exits,
                ranBy, stops, client.ioErrors);

        assertThat(client.failed).as("client requests that failed for good").isEmpty();
        assertThat(client.answeredTwoIds).as("keys answered with two different job ids").isEmpty();
        assertThat(duplicates).as("keys stored on more than one job").isEmpty();
        assertThat(jobByKey.keySet()).as("every stored job is one the client had accepted")
                .containsExactlyInAnyOrderElementsOf(client.accepted.keySet());
        for (Map.Entry<String, String> accepted : client.accepted.entrySet()) {
            JsonNode job = jobByKey.get(accepted.getKey());
            assertThat(job.get("id").asString()).as("job of key %s", accepted.getKey())
                    .isEqualTo(accepted.getValue());
            assertThat(job.get("status").asString()).as("status of %s", job).isEqualTo("SUCCEEDED");
        }
        assertThat(client.retries()).as("the client met the restarts (503 or refused) and retried").isPositive();
    }

    private static void awaitMoreAccepted(RetryingClient client, int from, int more) {
        await("%d more accepted submissions (failed so far: %s)".formatted(more, client.failed))
                .atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50))
                .failFast("a client request failed for good", () -> !client.failed.isEmpty())
                .until(() -> client.accepted.size() >= from + more);
    }

    /**
     * Like a load balancer in front of the fleet: sends each job with its own Idempotency-Key to the next
     * instance in turn and, on a 503 or a connection that fails (refused while an instance restarts, closed
     * under the request), retries the same request, same key and body, on the next instance. Every
     * {@code HEDGE_EVERY}th key is hedged: sent to two instances at once. Restarted instances keep their port,
     * so the targets never change.
     */
    private static final class RetryingClient {

        final List<QuiesceProcess> targets;
        final Map<String, String> accepted = new ConcurrentHashMap<>();
        final Queue<String> failed = new ConcurrentLinkedQueue<>();
        final Queue<String> answeredTwoIds = new ConcurrentLinkedQueue<>();
        final AtomicLong retried503 = new AtomicLong();
        final AtomicLong retriedRefused = new AtomicLong();
        final AtomicLong retriedIo = new AtomicLong();
        /** The first few I/O failures other than a refused connection, for the report. */
        final Queue<String> ioErrors = new ConcurrentLinkedQueue<>();
        final AtomicLong hedged = new AtomicLong();
        final AtomicBoolean stop = new AtomicBoolean();
        /** Sends the second copy of a hedged request; one thread per client thread. */
        final ExecutorService hedges = Executors.newFixedThreadPool(CLIENTS);
        private final AtomicInteger next = new AtomicInteger();

        RetryingClient(List<QuiesceProcess> targets) {
            this.targets = targets;
        }

        long retries() {
            return retried503.get() + retriedRefused.get() + retriedIo.get();
        }

        void submitUntilStopped(String keyPrefix) {
            for (int n = 0; !stop.get() && !Thread.currentThread().isInterrupted(); n++) {
                String key = keyPrefix + n;
                int target = next.getAndIncrement();
                if (n % HEDGE_EVERY == 0) {
                    // A hedged request: the same key and body to two instances at once; both must name one job.
                    hedged.incrementAndGet();
                    CompletableFuture<Void> other = CompletableFuture.runAsync(() -> submit(key, target + 1),
                            hedges);
                    submit(key, target);
                    other.join();
                } else {
                    submit(key, target);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // pace: about what the whole fleet runs
            }
        }

        private void submit(String key, int firstTarget) {
            long giveUpAt = System.nanoTime() + GIVE_UP_AFTER.toNanos();
            int target = firstTarget;
            while (true) {
                QuiesceProcess to = targets.get(Math.floorMod(target, targets.size()));
                try {
                    HttpResponse<String> response = to.submit(ROLLING_JOB, "Idempotency-Key", key);
                    int status = response.statusCode();
                    if (status == 200 || status == 202) {
                        String id = QuiesceProcess.json(response).get("id").asString();
                        String before = accepted.putIfAbsent(key, id);
                        if (before != null && !before.equals(id)) {
                            answeredTwoIds.add(key + ": " + before + " and " + id);
                        }
                        return;
                    }
                    if (status != 503) {
                        failed.add(key + " answered " + status + " by " + to + ": " + response.body());
                        return;
                    }
                    retried503.incrementAndGet();
                } catch (ConnectException e) {
                    retriedRefused.incrementAndGet();
                } catch (IOException e) {
                    if (retriedIo.incrementAndGet() <= 5) {
                        ioErrors.add(to + ": " + e);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.add(key + " interrupted");
                    return;
                } catch (RuntimeException e) {
                    failed.add(key + " by " + to + ": " + e);
                    return;
                }
                if (System.nanoTime() - giveUpAt > 0) {
                    failed.add(key + " still refused after " + GIVE_UP_AFTER);
                    return;
                }
                target++;
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
        }
    }

    // ---- c. kill -9: the lease runs out and another instance takes over

    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String LONG_JOB = "{\"type\":\"sleep\",\"params\":{\"durationMs\":2000}}";

    @Test
    void whenAnInstanceHoldingRunningJobsIsKilledThenAnotherTakesThemOverAfterTheLeaseAndRunsThemAgain()
            throws Exception {
        List<QuiesceProcess> instances = fleet.start(List.of("lease-a", "lease-b"),
                "--quiesce.jobs.lease=" + LEASE.toSeconds() + "s");
        QuiesceProcess a = instances.get(0);
        QuiesceProcess b = instances.get(1);

        List<String> submitted = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            submitted.add(a.submitAccepted(LONG_JOB));
        }
        await("jobs running on %s".formatted(a.instanceId())).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100)).until(() -> {
                    if (!runningOn(b, a.instanceId()).isEmpty()) {
                        return true;
                    }
                    submitted.add(a.submitAccepted(LONG_JOB)); // all went to the other one: offer more
                    return false;
                });

        Instant killedAt = Instant.now();
        a.sigkill();
        assertThat(a.awaitExit(Fleet.EXIT_LIMIT)).as("exit status after SIGKILL").isEqualTo(137);
        Map<String, JsonNode> held = runningOn(b, a.instanceId()).stream()
                .collect(Collectors.toMap(job -> job.get("id").asString(), Function.identity()));
        assertThat(held).as("jobs %s held RUNNING when it was killed", a.instanceId()).isNotEmpty();

        await("jobs of %s finished on %s".formatted(a.instanceId(), b.instanceId())).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> allFinished(b, held.keySet()));

        List<Long> takeovers = new ArrayList<>();
        for (JsonNode before : held.values()) {
            JsonNode after = b.job(before.get("id").asString());
            assertThat(after.get("status").asString()).as("status of %s", after).isEqualTo("SUCCEEDED");
            assertThat(after.get("attempts").asInt()).as("attempts of %s (run again)", after).isEqualTo(2);
            assertThat(after.path("instance").asString()).as("instance of %s", after).isEqualTo(b.instanceId());
            Instant firstStart = Instant.parse(before.get("startedAt").asString());
            Instant rerun = Instant.parse(after.get("startedAt").asString());
            assertThat(rerun).as("rerun of %s waited for the lease taken at its first start", after.get("id"))
                    .isAfterOrEqualTo(firstStart.plus(LEASE));
            takeovers.add(Duration.between(killedAt, rerun).toMillis());
        }
        await("every submitted job finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> allFinished(b, submitted));
        for (String id : submitted) {
            assertThat(b.job(id).get("status").asString()).as("status of job %s", id).isEqualTo("SUCCEEDED");
        }
        System.out.printf("kill -9 with %d of %d jobs running on it: taken over and rerun %d..%d ms after the kill "
                + "(lease %d ms, renewed every %d ms)%n", held.size(), submitted.size(),
                Collections.min(takeovers), Collections.max(takeovers), LEASE.toMillis(),
                LEASE.dividedBy(3).toMillis());
    }

    // ---- d. GET /instances: every instance of the fleet, each with its last heartbeat

    @Test
    void everyInstanceListsTheWholeFleetAStoppedOneSaysStoppedAndAKilledOneDropsOutAfterThreeLeases()
            throws Exception {
        List<QuiesceProcess> instances = fleet.start(List.of("beat-a", "beat-b", "beat-c"),
                "--quiesce.jobs.lease=" + LEASE.toSeconds() + "s");
        QuiesceProcess a = instances.get(0);
        QuiesceProcess b = instances.get(1);
        QuiesceProcess c = instances.get(2);
        String version = QuiesceProcess.json(a.get("/actuator/info")).get("build").get("version").asString();

        for (QuiesceProcess reader : instances) {
            await("%s lists the three instances RUNNING".formatted(reader.instanceId())).atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> states(reader).equals(Map.of("beat-a", "RUNNING", "beat-b", "RUNNING",
                            "beat-c", "RUNNING")));
        }
        for (JsonNode instance : instances(a)) {
            assertThat(instance.get("version").asString()).as("version of %s", instance).isEqualTo(version);
            assertThat(Instant.parse(instance.get("lastSeenAt").asString()))
                    .isAfterOrEqualTo(Instant.parse(instance.get("startedAt").asString()));
        }

        c.sigterm();
        assertThat(c.awaitExit(Fleet.EXIT_LIMIT)).as("exit status of %s after SIGTERM", c).isIn(0, 75);
        await("%s lists %s STOPPED (its last beat)".formatted(a.instanceId(), c.instanceId())).atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> "STOPPED".equals(states(a).get("beat-c")));

        Instant killedAt = Instant.now();
        b.sigkill();
        assertThat(b.awaitExit(Fleet.EXIT_LIMIT)).as("exit status after SIGKILL").isEqualTo(137);
        await("%s no longer lists %s".formatted(a.instanceId(), b.instanceId())).atMost(LEASE.multipliedBy(3).plusSeconds(10))
                .pollInterval(Duration.ofMillis(100)).until(() -> !states(a).containsKey("beat-b"));
        long droppedAfter = Duration.between(killedAt, Instant.now()).toMillis();
        // Its last beat came at most a beat before the kill: it is listed until three leases after that beat.
        assertThat(droppedAfter).as("ms from the kill until dropped").isGreaterThanOrEqualTo(
                LEASE.multipliedBy(3).minus(LEASE.dividedBy(3)).minusMillis(200).toMillis());
        assertThat(states(a)).as("%s lists itself", a.instanceId()).containsKey("beat-a");
        System.out.printf("GET /instances: 3 listed by each; the SIGTERMed one said STOPPED; the killed one dropped "
                + "out %d ms after the kill (lease %d ms: three leases %d ms, beat every %d ms)%n", droppedAfter,
                LEASE.toMillis(), LEASE.multipliedBy(3).toMillis(), LEASE.dividedBy(3).toMillis());
    }

    private static List<JsonNode> instances(QuiesceProcess reader) throws IOException, InterruptedException {
        HttpResponse<String> response = reader.get("/instances");
        assertThat(response.statusCode()).as("GET /instances on %s: %s", reader, response.body()).isEqualTo(200);
        List<JsonNode> listed = new ArrayList<>();
        QuiesceProcess.json(response).get("instances").forEach(listed::add);
        return listed;
    }

    /** The instances {@code reader} lists, by id, with their states. */
    private static Map<String, String> states(QuiesceProcess reader) throws IOException, InterruptedException {
        Map<String, String> states = new TreeMap<>();
        for (JsonNode instance : instances(reader)) {
            states.put(instance.get("id").asString(), instance.get("state").asString());
        }
        return states;
    }

    // ---- e. jobs for later and priorities across the fleet

    private static final int DUE_JOBS = 30;

    @Test
    void whenJobsForLaterFallDueOnAFleetOfTwoThenEachRunsExactlyOnceAndQueuedJobsOfHigherPriorityStartFirst()
            throws Exception {
        List<QuiesceProcess> instances = fleet.start(List.of("due-a", "due-b"), "--quiesce.pool.workers=1");
        QuiesceProcess a = instances.get(0);

        // Due together, a couple of seconds ahead: both instances promote and claim them at the same moments.
        Instant runAt = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
        List<String> due = new ArrayList<>();
        for (int i = 0; i < DUE_JOBS; i++) {
            due.add(instances.get(i % 2).submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":20},"
                    + "\"runAt\":\"" + runAt + "\"}"));
        }
        // Read from the list, as the assertions below are: a job's own view may show an outcome its instance has
        // not written yet, the list shows the stored one.
        await("the jobs for later finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> a.allJobs().stream().noneMatch(job -> List.of("SCHEDULED", "QUEUED", "RUNNING")
                        .contains(job.get("status").asString())));
        List<JsonNode> stored = a.allJobs();
        assertThat(stored).extracting(job -> job.get("id").asString()).as("jobs in the shared store")
                .containsExactlyInAnyOrderElementsOf(due);
        for (JsonNode job : stored) {
            assertThat(job.get("status").asString()).as("status of %s", job).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("attempts of %s (started once)", job).isEqualTo(1);
            assertThat(Instant.parse(job.get("startedAt").asString())).as("start of %s", job).isAfterOrEqualTo(runAt);
        }
        Map<String, Long> ranBy = stored.stream().collect(Collectors.groupingBy(
                job -> job.path("instance").asString(), TreeMap::new, Collectors.counting()));
        assertThat(ranBy.keySet()).as("instances that ran them").isSubsetOf("due-a", "due-b");

        // Both workers busy (one per instance), then low-priority jobs queued before high-priority ones.
        List<String> blockers = List.of(a.submitAccepted(GracefulStopProcessIT.sleepJob(3000)),
                a.submitAccepted(GracefulStopProcessIT.sleepJob(3000)));
        await("a blocker running on each instance").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> a.jobs("RUNNING").size() == 2);
        List<String> low = new ArrayList<>();
        List<String> high = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            low.add(instances.get(i % 2).submitAccepted(prioritized(1)));
        }
        for (int i = 0; i < 4; i++) {
            high.add(instances.get(i % 2).submitAccepted(prioritized(9)));
        }
        for (String blocker : blockers) {
            assertThat(a.job(blocker).get("status").asString())
                    .as("blocker %s still running once every prioritized job was queued", blocker).isEqualTo("RUNNING");
        }
        List<String> prioritized = new ArrayList<>(low);
        prioritized.addAll(high);
        await("the prioritized jobs finished").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> allDone(a, prioritized));
        Instant lastHigh = startOf(a, high).stream().max(Instant::compareTo).orElseThrow();
        Instant firstLow = startOf(a, low).stream().min(Instant::compareTo).orElseThrow();
        System.out.printf("fleet of 2, 1 worker each: %d jobs due at %s ran once each (ran by %s); priority 9 "
                + "started by %s, priority 1 from %s%n", DUE_JOBS, runAt, ranBy, lastHigh, firstLow);
        assertThat(lastHigh).as("the last start of a priority-9 job, against the first of a priority-1 job")
                .isBeforeOrEqualTo(firstLow);
    }

    private static String prioritized(int priority) {
        return "{\"type\":\"sleep\",\"params\":{\"durationMs\":200},\"priority\":" + priority + "}";
    }

    private static List<Instant> startOf(QuiesceProcess reader, List<String> ids)
            throws IOException, InterruptedException {
        List<Instant> starts = new ArrayList<>();
        for (String id : ids) {
            JsonNode job = reader.job(id);
            assertThat(job.get("status").asString()).as("status of %s", job).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("attempts of %s", job).isEqualTo(1);
            starts.add(Instant.parse(job.get("startedAt").asString()));
        }
        return starts;
    }

    /** Whether every job of {@code ids} has ended (SCHEDULED, QUEUED and RUNNING have not). */
    private static boolean allDone(QuiesceProcess reader, Iterable<String> ids)
            throws IOException, InterruptedException {
        for (String id : ids) {
            String status = reader.job(id).get("status").asString();
            if (status.equals("SCHEDULED") || status.equals("QUEUED") || status.equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    // ---- helpers

    private static List<JsonNode> runningOn(QuiesceProcess reader, String instance)
            throws IOException, InterruptedException {
        return reader.jobs("RUNNING").stream().filter(job -> instance.equals(job.path("instance").asString()))
                .toList();
    }

    private static boolean allFinished(QuiesceProcess reader, Iterable<String> ids)
            throws IOException, InterruptedException {
        for (String id : ids) {
            String status = reader.job(id).get("status").asString();
            if (status.equals("QUEUED") || status.equals("RUNNING")) {
                return false;
            }
        }
        return true;
    }

    /** QUEUED plus RUNNING jobs in the shared store. */
    private static int unfinished(QuiesceProcess reader) throws IOException, InterruptedException {
        return reader.jobs("QUEUED").size() + reader.jobs("RUNNING").size();
    }
}
