package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

/** SIGTERM against the real process: the staged stop, the budget, and requests in flight. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class GracefulStopProcessIT {

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    static String sleepJob(int durationMs) {
        return "{\"type\":\"sleep\",\"params\":{\"durationMs\":" + durationMs + "}}";
    }

    @Test
    void whenSigtermArrivesWhileJobsRunThenIntakeClosesTheQueueDrainsAndExitIsZero() throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.pool.workers=4");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(quiesce.submitAccepted(sleepJob(500)));
        }

        Thread.sleep(1000); // lets time pass: SIGTERM 1 s after the last 202, with jobs running and queued
        quiesce.sigterm();

        List<Long> pending = new ArrayList<>(); // queued + running, each time /lifecycle read DRAINING
        JsonNode firstDraining = await("state DRAINING after SIGTERM").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(20))
                .until(quiesce::lifecycle, lifecycle -> lifecycle.get("state").asString().equals("DRAINING"));
        pending.add(pendingJobs(firstDraining));

        // Step 1 of the stop, checked while the pool still drains (it has seconds of work left).
        await("readiness out of service while DRAINING").atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> quiesce.get(QuiesceProcess.READINESS).statusCode(), status -> status == 503);
        assertThat(quiesce.get(QuiesceProcess.LIVENESS).statusCode()).as("liveness while DRAINING").isEqualTo(200);
        assertSubmissionRefused(quiesce, firstDraining);

        // Then the counts fall as the pool drains, until the jobs phase ends (polling no further: past it the web
        // server stops, and a request racing its close may be answered by Tomcat on its way out) or the port
        // stops answering.
        await("the drain to end").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Optional<JsonNode> lifecycle = lifecycleIfServing(quiesce);
            if (lifecycle.isEmpty()) {
                return true; // the web server stopped: the drain is over
            }
            pending.add(pendingJobs(lifecycle.get()));
            return !lifecycle.get().get("state").asString().equals("DRAINING") || jobsPhaseEnded(lifecycle.get());
        });

        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status of a clean stop").isZero();
        System.out.println("drain: queued + running seen while DRAINING: " + pending);
        assertStopCountsAddUp(quiesce.output());
        assertThat(pending).as("queued + running while DRAINING, in order").hasSizeGreaterThanOrEqualTo(2);
        for (int i = 1; i < pending.size(); i++) {
            assertThat(pending.get(i)).as("queued + running never rise while DRAINING: %s", pending)
                    .isLessThanOrEqualTo(pending.get(i - 1));
        }
        assertThat(pending.stream().distinct().count()).as("distinct counts seen while DRAINING: %s", pending)
                .isGreaterThanOrEqualTo(2);

        QuiesceProcess restarted = processes.start();
        for (String id : ids) {
            JsonNode job = restarted.job(id);
            assertThat(job.get("status").asString()).as("status of %s", id).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("attempts of %s", id).isEqualTo(1);
        }
        JsonNode lastShutdown = restarted.lifecycle().get("lastShutdown");
        assertThat(lastShutdown.get("clean").asBoolean()).as("lastShutdown %s", lastShutdown).isTrue();
        assertThat(lastShutdown.get("requeued").asLong()).as("lastShutdown %s", lastShutdown).isZero();
        assertThat(lastShutdown.get("drained").asLong()).as("lastShutdown %s", lastShutdown).isPositive();
    }

    /**
     * The stop's story accounts for every job it saw: queued + running at "Stop began" equal drained + requeued +
     * left queued at "Stop finished" (one instance, no submissions during the stop).
     */
    static void assertStopCountsAddUp(String output) {
        Matcher began = Pattern.compile("Stop began \\(.*\\): budget \\S+, (\\d+) queued, "
                + "(\\d+) running").matcher(output);
        Matcher finished = Pattern.compile("Stop finished in .*\\((\\d+) drained, "
                + "(\\d+) requeued, (\\d+) left queued\\)").matcher(output);
        assertThat(began.find()).as("a 'Stop began' line").isTrue();
        assertThat(finished.find()).as("a 'Stop finished' line").isTrue();
        long seen = Long.parseLong(began.group(1)) + Long.parseLong(began.group(2));
        long accounted = Long.parseLong(finished.group(1)) + Long.parseLong(finished.group(2))
                + Long.parseLong(finished.group(3));
        assertThat(accounted).as("%s / %s", began.group(), finished.group()).isEqualTo(seen);
    }

    @Test
    void whenRunningJobsOutlastTheBudgetThenTheyAreCutOffExitIs75AndTheyRunAgainAfterARestart() throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.shutdown.budget=2s", "--quiesce.pool.workers=2");
        String first = quiesce.submitAccepted(sleepJob(10_000));
        String second = quiesce.submitAccepted(sleepJob(10_000));
        await("both jobs RUNNING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> quiesce.job(first).get("status").asString().equals("RUNNING")
                        && quiesce.job(second).get("status").asString().equals("RUNNING"));

        quiesce.sigterm();
        // The whole stop fits in the 2 s budget; 2 s more for the JVM to go.
        assertThat(quiesce.awaitExit(Duration.ofSeconds(4))).as("exit status when running work was cut off")
                .isEqualTo(75);
        assertStopCountsAddUp(quiesce.output());

        QuiesceProcess restarted = processes.start();
        JsonNode lastShutdown = restarted.lifecycle().get("lastShutdown");
        assertThat(lastShutdown.get("clean").asBoolean()).as("lastShutdown %s", lastShutdown).isFalse();
        assertThat(lastShutdown.get("requeued").asLong()).as("lastShutdown %s", lastShutdown).isEqualTo(2);
        for (String id : List.of(first, second)) {
            JsonNode job = await("job " + id + " to finish after the restart").atMost(Duration.ofSeconds(90))
                    .until(() -> restarted.job(id, 15_000), found -> !found.get("status").asString().equals("QUEUED")
                            && !found.get("status").asString().equals("RUNNING"));
            assertThat(job.get("status").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
            assertThat(job.get("attempts").asInt()).as("job %s", job).isEqualTo(2);
        }
    }

    @Test
    void whenSigtermArrivesDuringALongPollThenThePollIsAnsweredWithTheFinishedJobAndExitIsZero() throws Exception {
        QuiesceProcess quiesce = processes.start();
        String id = quiesce.submitAccepted(sleepJob(1500));
        CompletableFuture<HttpResponse<String>> poll = quiesce.getAsync("/jobs/" + id + "?waitMs=10000",
                Duration.ofSeconds(40));

        Thread.sleep(200); // lets time pass: SIGTERM 200 ms after the long poll went out
        quiesce.sigterm();

        HttpResponse<String> answer = poll.get(40, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as("long poll in flight at SIGTERM: %s", answer.body()).isEqualTo(200);
        JsonNode job = QuiesceProcess.json(answer);
        assertThat(job.get("id").asString()).isEqualTo(id);
        assertThat(job.get("status").asString()).as("job %s", job).isEqualTo("SUCCEEDED");
        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status of a clean stop").isZero();
    }

    private static long pendingJobs(JsonNode lifecycle) {
        JsonNode jobs = lifecycle.get("jobs");
        return jobs.get("queued").asLong() + jobs.get("running").asLong();
    }

    /** {@code /lifecycle}, or empty once the port no longer answers (the web server has stopped). */
    private static Optional<JsonNode> lifecycleIfServing(QuiesceProcess quiesce) throws InterruptedException {
        try {
            return Optional.of(quiesce.lifecycle());
        } catch (IOException stopped) {
            return Optional.empty();
        }
    }

    /**
     * {@code POST /jobs} answers 503 with {@code Retry-After}. A refused connection is accepted only once the
     * web phase has started (it has not, right after DRAINING began, unless the drain was already over).
     */
    private static void assertSubmissionRefused(QuiesceProcess quiesce, JsonNode lifecycleBefore)
            throws InterruptedException {
        try {
            HttpResponse<String> refused = quiesce.submit(sleepJob(10));
            assertThat(refused.statusCode()).as("POST /jobs while DRAINING: %s", refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).as("Retry-After of the 503").isPresent();
        } catch (IOException connectionRefused) {
            assertThat(webPhase(lifecycleBefore)).as("POST /jobs failed (%s) before the web phase started",
                    connectionRefused).isNotEqualTo("PENDING");
        }
    }

    private static boolean jobsPhaseEnded(JsonNode lifecycle) {
        for (JsonNode phase : lifecycle.get("phases")) {
            if (phase.get("name").asString().equals("jobs")) {
                String state = phase.get("state").asString();
                return state.equals("DONE") || state.equals("TIMED_OUT");
            }
        }
        return false;
    }

    private static String webPhase(JsonNode lifecycle) {
        for (JsonNode phase : lifecycle.get("phases")) {
            if (phase.get("name").asString().equals("web")) {
                return phase.get("state").asString();
            }
        }
        return "PENDING";
    }
}
