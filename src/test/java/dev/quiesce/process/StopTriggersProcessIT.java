package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import tools.jackson.databind.JsonNode;

/** The other ways a stop begins: SIGINT (Ctrl-C) and {@code POST /actuator/shutdown}. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class StopTriggersProcessIT {

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    @Test
    void whenSigintArrivesThenTheStopRunsLikeSigtermExitsZeroAndTheNextStartReportsItClean() throws Exception {
        QuiesceProcess quiesce = processes.start();
        String id = quiesce.submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":300}}");

        quiesce.sigint();

        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status after SIGINT").isZero();
        QuiesceProcess restarted = processes.start();
        JsonNode lastShutdown = restarted.lifecycle().get("lastShutdown");
        assertThat(lastShutdown.isObject()).as("lastShutdown %s", lastShutdown).isTrue();
        assertThat(lastShutdown.get("clean").asBoolean()).as("lastShutdown %s", lastShutdown).isTrue();
        String metrics = restarted.get("/actuator/prometheus").body();
        assertThat(metrics).as("the last stop published at start").contains("quiesce_last_shutdown_clean 1.0")
                .contains("quiesce_last_shutdown_exit_status 0.0");
        JsonNode job = restarted.job(id);
        assertThat(job.get("status").asString()).as("job running at SIGINT: %s", job).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).as("job running at SIGINT: %s", job).isEqualTo(1);
    }

    @Test
    void whenTheShutdownEndpointIsCalledWithoutCredentialsThenItAnswers401AndWithAdminCredentialsTheStopIsClean()
            throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.admin.password=s3cret");

        HttpResponse<String> anonymous = quiesce.post("/actuator/shutdown", null);
        assertThat(anonymous.statusCode()).as("POST /actuator/shutdown without credentials").isEqualTo(401);
        HttpResponse<String> wrongPassword = quiesce.post("/actuator/shutdown", null, "Authorization",
                QuiesceProcess.basic("admin", "wrong"));
        assertThat(wrongPassword.statusCode()).as("POST /actuator/shutdown with a wrong password").isEqualTo(401);
        assertThat(quiesce.isAlive()).as("process alive after the refused shutdowns").isTrue();
        assertThat(quiesce.get(QuiesceProcess.READINESS).statusCode()).as("readiness after the refused shutdowns")
                .isEqualTo(200);
        assertThat(quiesce.lifecycle().get("state").asString()).isEqualTo("RUNNING");

        HttpResponse<String> admin = quiesce.post("/actuator/shutdown", null, "Authorization",
                QuiesceProcess.basic("admin", "s3cret"));
        assertThat(admin.statusCode()).as("POST /actuator/shutdown as admin: %s", admin.body()).isEqualTo(200);
        assertThat(quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT)).as("exit status after /actuator/shutdown").isZero();
    }
}
