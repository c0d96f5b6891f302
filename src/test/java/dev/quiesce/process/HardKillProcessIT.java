package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

/** kill -9 in the middle of concurrent submissions: a 202 means stored, and nothing is stored twice. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class HardKillProcessIT {

    private static final int SUBMITTERS = 8;
    private static final String JOB = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1}}";

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    @Test
    void whenKilledDuringConcurrentSubmissionsThenEveryAcceptedJobSucceedsAfterARestartAndNoneIsDuplicated()
            throws Exception {
        QuiesceProcess quiesce = processes.start();
        Map<String, String> acceptedIdByKey = new ConcurrentHashMap<>();
        Queue<String> unexpected = new ConcurrentLinkedQueue<>();
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService submitters = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            load(quiesce, submitters, acceptedIdByKey, unexpected, killed, stop);
            await("the first accepted submissions").atMost(Duration.ofSeconds(30))
                    .until(() -> acceptedIdByKey.size() >= SUBMITTERS);

            Thread.sleep(1500); // lets time pass: about 1.5 s of load before the kill
            killed.set(true);
            quiesce.sigkill();
            assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status after SIGKILL").isEqualTo(137);
        } finally {
            stop.set(true);
            submitters.shutdown();
        }
        assertThat(submitters.awaitTermination(60, TimeUnit.SECONDS)).as("submitters stopped").isTrue();
        assertThat(unexpected).as("answers other than 202 before the kill").isEmpty();
        Map<String, String> accepted = new HashMap<>(acceptedIdByKey);

        QuiesceProcess restarted = processes.start();
        await("every stored job to succeed after the restart").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .until(restarted::allJobs, jobs -> jobs.stream()
                        .allMatch(job -> job.get("status").asString().equals("SUCCEEDED")));

        List<JsonNode> jobs = restarted.allJobs();
        Map<String, String> storedIdByKey = new HashMap<>();
        for (JsonNode job : jobs) {
            JsonNode key = job.get("idempotencyKey");
            assertThat(key).as("idempotency key of %s", job).isNotNull();
            String previous = storedIdByKey.put(key.asString(), job.get("id").asString());
            assertThat(previous).as("a second job with key %s: %s", key.asString(), job).isNull();
        }
        assertThat(jobs).as("jobs in the store, one per distinct key").hasSize(storedIdByKey.size());
        assertThat(jobs).as("every job succeeded").allMatch(job -> job.get("status").asString().equals("SUCCEEDED"));
        assertThat(storedIdByKey.keySet()).as("stored keys were all sent by this test")
                .allMatch(key -> key.startsWith("kill9-"));
        for (Map.Entry<String, String> answered : accepted.entrySet()) {
            assertThat(storedIdByKey.get(answered.getKey())).as("job answered 202 for key %s", answered.getKey())
                    .isEqualTo(answered.getValue());
        }
        assertThat(accepted).as("submissions answered 202 before the kill").isNotEmpty();
        System.out.printf("kill -9: %d answered 202, %d stored%n", accepted.size(), jobs.size());
    }

    /** {@value #SUBMITTERS} threads submitting in a loop, each submission with its own Idempotency-Key. */
    private static void load(QuiesceProcess quiesce, ExecutorService submitters, Map<String, String> acceptedIdByKey,
            Queue<String> unexpected, AtomicBoolean killed, AtomicBoolean stop) {
        for (int t = 0; t < SUBMITTERS; t++) {
            String prefix = "kill9-" + t + "-";
            submitters.execute(() -> {
                for (int n = 0; !stop.get(); n++) {
                    String key = prefix + n;
                    try {
                        HttpResponse<String> response = quiesce.submit(JOB, "Idempotency-Key", key);
                        if (response.statusCode() == 202) {
                            acceptedIdByKey.put(key, QuiesceProcess.json(response).get("id").asString());
                        } else {
                            unexpected.add(key + " answered " + response.statusCode() + " " + response.body());
                        }
                    } catch (IOException e) {
                        if (!killed.get()) {
                            unexpected.add(key + " failed before the kill: " + e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (RuntimeException e) {
                        unexpected.add(key + ": " + e);
                    }
                }
            });
        }
    }
}
