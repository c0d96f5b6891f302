package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

/**
 * The fast start route of the README and the Dockerfile runs the bean definitions Spring AOT generated at build
 * time ({@code -Dspring.aot.enabled=true}) instead of the configuration classes. The same jar, started that way,
 * must behave as the plain start: jobs, problems, security, settings checked at start, and the staged stop.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class AotModeProcessIT {

    private static final List<String> AOT_MODE = List.of("-Dspring.aot.enabled=true");

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    @Test
    void whenStartedInAotModeThenJobsProblemsSecurityAndTheStopWorkAsInThePlainStart() throws Exception {
        QuiesceProcess quiesce = processes.startWithJvmOptions(AOT_MODE, "--quiesce.admin.password=s3cret");
        String output = quiesce.output();
        assertThat(output).as("start banner line").contains("Starting AOT-processed QuiesceApplication");

        String id = quiesce.submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":50}}");
        JsonNode job = quiesce.job(id, 10_000);
        assertThat(job.get("status").asString()).as("job %s", job).isEqualTo("SUCCEEDED");

        HttpResponse<String> bad = quiesce.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":-1}}");
        assertThat(bad.statusCode()).as("bad params: %s", bad.body()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");

        assertThat(quiesce.post("/actuator/shutdown", null).statusCode()).as("shutdown without credentials")
                .isEqualTo(401);
        assertThat(quiesce.get("/actuator/prometheus").body()).as("contract metrics registered")
                .contains("quiesce_jobs_submitted_total");

        // The first request initialises the DispatcherServlet and logs it on its own thread: a virtual one
        // ("tomcat-handler-N") on JDK 21+, although Spring AOT evaluated the conditions on the build's JDK 17.
        Matcher java = Pattern.compile("using Java (\\d+)").matcher(output);
        assertThat(java.find()).as("Java version in the start line").isTrue();
        String firstRequest = quiesce.output().lines()
                .filter(line -> line.contains("Initializing Spring DispatcherServlet")).findFirst().orElseThrow();
        if (Integer.parseInt(java.group(1)) >= 21) {
            assertThat(firstRequest).as("request thread on Java %s", java.group(1)).contains("handler-");
        } else {
            assertThat(firstRequest).as("request thread on Java %s", java.group(1)).contains("-exec-");
        }

        JsonNode instances = QuiesceProcess.json(quiesce.get("/instances")).get("instances");
        String version = QuiesceProcess.json(quiesce.get("/actuator/info")).get("build").get("version").asString();
        assertThat(instances.size()).as("instances: %s", instances).isOne();
        assertThat(instances.get(0).get("version").asString()).as("its build version").isEqualTo(version);

        String running = quiesce.submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":500}}");
        quiesce.sigterm();
        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status after SIGTERM").isZero();

        QuiesceProcess restarted = processes.startWithJvmOptions(AOT_MODE);
        JsonNode drained = restarted.job(running);
        assertThat(drained.get("status").asString()).as("job running at SIGTERM: %s", drained).isEqualTo("SUCCEEDED");
        assertThat(restarted.lifecycle().get("lastShutdown").get("clean").asBoolean()).isTrue();
        JsonNode both = QuiesceProcess.json(restarted.get("/instances")).get("instances");
        assertThat(both.size()).as("instances after the restart: %s", both).isEqualTo(2);
        assertThat(both.findValuesAsString("state")).as("states after the restart: %s", both)
                .containsExactlyInAnyOrder("STOPPED", "RUNNING");
    }

    @Test
    void whenASettingIsInvalidInAotModeThenTheStartExitsOneWithOneLineNamingIt() throws Exception {
        QuiesceProcess quiesce = processes.launchWithJvmOptions(AOT_MODE, "--quiesce.pool.workers=0");
        assertThat(quiesce.awaitExit(QuiesceProcess.START_LIMIT)).as("exit status of a failed start").isEqualTo(1);
        assertThat(quiesce.output()).as("output of the failed start")
                .contains("quiesce: invalid configuration: quiesce.pool.workers = 0").doesNotContain("\tat ");
    }
}
