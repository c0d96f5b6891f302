package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Boot's structured console log ({@code logging.structured.format.console=ecs}) on the real jar: stdout is
 * JSON lines and nothing else, and a log pipeline reads the stop's story from the {@code quiesce.stop.*} fields.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class StructuredLogProcessIT {

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void whenTheConsoleLogsEcsThenStdoutIsJsonLinesAndTheStopsStoryIsInTheirFields() throws Exception {
        QuiesceProcess quiesce = processes.startWithStderrApart("--logging.structured.format.console=ecs",
                "--quiesce.instance-id=q-ecs", "--quiesce.pool.workers=2", "--quiesce.shutdown.budget=6s");
        // Two workers: one job outlives the budget (cut off, requeued), one ends during the drain, and two wait
        // queued behind them and run in the drain once a worker is free.
        String cutOff = quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(60_000));
        String endsInTheDrain = quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(3_000));
        await("both first jobs RUNNING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> quiesce.job(cutOff).get("status").asString().equals("RUNNING")
                        && quiesce.job(endsInTheDrain).get("status").asString().equals("RUNNING"));
        quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(100));
        quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(100));
        int submitted = 4;

        quiesce.sigterm();
        int exitStatus = quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT);
        assertThat(exitStatus).as("exit status of a stop that cut a running job off").isEqualTo(75);

        List<JsonNode> lines = jsonLines(quiesce.output());
        System.out.println("structured log: " + lines.size() + " JSON lines on stdout; stderr: "
                + quiesce.errorOutput().lines().count() + " lines (" + processes.log() + ".stderr)");
        assertThat(lines).as("every line names the instance (service.node.name)")
                .allSatisfy(line -> assertThat(line.at("/service/node/name").asString()).isEqualTo("q-ecs"));
        List<JsonNode> story = lines.stream().filter(line -> !field(line, "event").isMissingNode()).toList();
        assertThat(story).as("the story's lines").allSatisfy(line -> assertThat(line.at("/ecs/version").asString())
                .as("ecs.version of %s", line).isNotEmpty());
        assertThat(story.stream().map(line -> field(line, "event").asString()).toList()).as("the story's events")
                .containsExactly("stop_began",
                        "phase_started", "phase_ended", "phase_started", "phase_ended", "phase_started", "phase_ended",
                        "phase_started", "phase_ended", "phase_started", "phase_ended", "phase_started", "phase_ended",
                        "stop_finished", "report");

        JsonNode began = story.get(0);
        assertThat(field(began, "cause").asString()).isEqualTo("SIGTERM");
        assertThat(field(began, "budget_ms").asLong()).isEqualTo(6000);
        assertThat(field(began, "queued").asLong()).as("queued at %s", began).isEqualTo(2);
        assertThat(field(began, "queued").asLong() + field(began, "running").asLong())
                .as("queued + running at %s: every job submitted", began).isEqualTo(submitted);

        List<JsonNode> phases = story.stream().filter(line -> field(line, "event").asString().equals("phase_ended"))
                .toList();
        assertThat(phases.stream().map(phase -> field(phase, "phase").asString()).toList()).as("phases, in order")
                .containsExactly("intake", "scheduler", "jobs", "processor", "web", "store");
        assertThat(phases).as("phase durations and time left").allSatisfy(phase -> {
            assertThat(field(phase, "duration_ms").isIntegralNumber()).as("duration_ms of %s", phase).isTrue();
            assertThat(field(phase, "duration_ms").asLong()).as("duration_ms of %s", phase).isNotNegative();
            assertThat(field(phase, "left_ms").asLong()).as("left_ms of %s", phase).isNotNegative();
        });
        JsonNode jobs = phases.get(2);
        assertThat(field(jobs, "phase_state").asString()).as("%s", jobs).isEqualTo("TIMED_OUT");
        assertThat(field(jobs, "finished").asLong()).as("%s", jobs).isEqualTo(3);
        assertThat(field(jobs, "requeued").asLong()).as("%s", jobs).isEqualTo(1);
        assertThat(field(jobs, "left_queued").asLong()).as("%s", jobs).isZero();

        JsonNode finished = story.get(story.size() - 2);
        assertThat(field(finished, "exit_status").asInt()).as("%s: the process's own exit status", finished)
                .isEqualTo(exitStatus);
        assertThat(field(finished, "clean").asBoolean()).as("%s", finished).isFalse();
        assertThat(field(finished, "drained").asLong() + field(finished, "requeued").asLong()
                + field(finished, "left_queued").asLong()).as("drained + requeued + left queued at %s", finished)
                .isEqualTo(submitted);
        assertThat(field(finished, "requeued").asLong()).as("%s", finished).isEqualTo(1);
        assertThat(field(finished, "duration_ms").asLong()).as("%s: the stop outlasts its jobs phase", finished)
                .isGreaterThanOrEqualTo(field(jobs, "duration_ms").asLong());

        JsonNode report = field(story.get(story.size() - 1), "report");
        assertThat(report.isObject()).as("quiesce.stop.report is a JSON object: %s", report).isTrue();
        assertThat(report.get("exitStatus").asInt()).as("report %s", report).isEqualTo(exitStatus);
        assertThat(report.get("instance").asString()).as("report %s", report).isEqualTo("q-ecs");
        assertThat(report.get("requeued").asLong()).as("report %s", report).isEqualTo(1);
        assertThat(report.get("phases")).as("report %s", report).hasSize(6);

        // The text reads as before, inside the JSON: the same story for whoever reads the messages.
        String messages = story.stream().map(line -> line.get("message").asString())
                .collect(Collectors.joining("\n"));
        GracefulStopProcessIT.assertStopCountsAddUp(messages);
        assertThat(messages).contains("Stop finished in ").contains("cut off, exit status 75")
                .contains("Shutdown report {\"instance\":");
    }

    /** Every line of {@code stdout} as JSON; a line that is not a JSON object fails the test, named. */
    private static List<JsonNode> jsonLines(String stdout) {
        List<JsonNode> lines = new ArrayList<>();
        List<String> junk = new ArrayList<>();
        stdout.lines().forEach(line -> {
            try {
                JsonNode json = JSON.readTree(line);
                if (json.isObject() && json.has("@timestamp") && json.has("message")) {
                    lines.add(json);
                } else {
                    junk.add(line);
                }
            } catch (JacksonException notJson) {
                junk.add(line);
            }
        });
        assertThat(junk).as("stdout lines that are not ECS JSON log lines").isEmpty();
        assertThat(lines).as("JSON lines on stdout").isNotEmpty();
        return lines;
    }

    /** The field {@code quiesce.stop.<name>}, which ECS nests as {@code {"quiesce":{"stop":{name: ...}}}}. */
    private static JsonNode field(JsonNode line, String name) {
        return line.path("quiesce").path("stop").path(name);
    }
}
