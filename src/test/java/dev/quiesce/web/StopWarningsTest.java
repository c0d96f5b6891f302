package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The WARN lines about a stop that cannot go well: a budget of 1 s, 1.5 s under a grace period of 2.5 s (less
 * than the 2 s a stop needs over its budget), and a job type whose runs outlast the 0.9 s running jobs get.
 */
@ExtendWith(OutputCaptureExtension.class)
@ServiceTest(properties = { "quiesce.shutdown.budget=1s", "quiesce.shutdown.grace-period=2500ms",
        "quiesce.instance-id=warn-test" })
class StopWarningsTest {

    @Autowired
    ApiClient api;

    private static long linesWith(CapturedOutput output, String text) {
        return output.getAll().lines().filter(line -> line.contains("WARN") && line.contains(text)).count();
    }

    @Test
    void aGracePeriodTooCloseToTheBudgetIsToldOnceAtStart(CapturedOutput output) {
        await().atMost(Duration.ofSeconds(10)).until(() -> linesWith(output, "quiesce.shutdown.grace-period") > 0);
        assertThat(linesWith(output, "quiesce.shutdown.grace-period")).isEqualTo(1);
        assertThat(output.getAll()).contains("quiesce.shutdown.budget (1.00s) leaves 1.50s under "
                + "quiesce.shutdown.grace-period (2.50s), less than 2.00s");
    }

    @Test
    void aJobTypeWhoseP90OutlastsWhatAStopGivesIsToldOnceWhenItsRunTimesShowIt(CapturedOutput output) {
        String sleep = "{\"type\":\"sleep\",\"params\":{\"durationMs\":1200}}";
        assertThat(linesWith(output, "Job type 'sleep'")).isZero();

        api.awaitFinished(api.submit(sleep).get("id").asString(), Duration.ofSeconds(20));
        await().atMost(Duration.ofSeconds(10)).until(() -> linesWith(output, "Job type 'sleep'") == 1);
        api.awaitFinished(api.submit(sleep).get("id").asString(), Duration.ofSeconds(20));

        assertThat(linesWith(output, "Job type 'sleep'")).isEqualTo(1);
        assertThat(output.getAll()).contains("exceeds the 900 ms a stop lets running jobs run");
    }
}
