package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import tools.jackson.databind.JsonNode;

/** A schedule from configuration is listed and its firings make jobs keyed by schedule name and fire time. */
@ServiceTest(properties = { "quiesce.schedules[0].name=tick", "quiesce.schedules[0].every=1s",
        "quiesce.schedules[0].type=sleep", "quiesce.schedules[0].params.durationMs=1" })
class SchedulesTest {

    private static final String KEY = "schedule:tick:\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z";

    @Autowired
    ApiClient api;

    @Test
    void theConfiguredScheduleIsListedWithItsNextFiring() {
        Reply reply = api.get("/schedules");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode schedules = reply.json().get("schedules");
        assertThat(schedules.size()).isEqualTo(1);
        JsonNode tick = schedules.get(0);
        assertThat(tick.get("name").asString()).isEqualTo("tick");
        assertThat(tick.get("every").asString()).isEqualTo("1s");
        assertThat(tick.get("type").asString()).isEqualTo("sleep");
        assertThat(tick.get("params")).isEqualTo(Reply.JSON.readTree("{\"durationMs\":1}"));
        String next = tick.get("nextFireAt").asString();
        assertThat(next).endsWith("Z");
        assertThat(Instant.parse(next)).isBetween(Instant.now().minusSeconds(2), Instant.now().plusSeconds(3));
    }

    @Test
    void eachFiringMakesOneJobKeyedByTheScheduleAndItsFireTime() {
        List<JsonNode> fired = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> {
            fired.clear();
            api.get("/jobs?limit=1000").json().get("jobs").forEach(job -> {
                if (job.hasNonNull("idempotencyKey") && job.get("idempotencyKey").asString().startsWith("schedule:")) {
                    fired.add(job);
                }
            });
            return fired.size() >= 2;
        });

        List<String> keys = new ArrayList<>();
        for (JsonNode job : fired) {
            String key = job.get("idempotencyKey").asString();
            assertThat(key).matches(KEY);
            Instant fireTime = Instant.parse(key.substring("schedule:tick:".length()));
            assertThat(fireTime).isBefore(Instant.now().plusSeconds(1));
            assertThat(job.get("type").asString()).isEqualTo("sleep");
            assertThat(job.get("params")).isEqualTo(Reply.JSON.readTree("{\"durationMs\":1}"));
            keys.add(key);
        }
        assertThat(keys).doesNotHaveDuplicates();

        JsonNode tick = api.get("/schedules").json().get("schedules").get(0);
        assertThat(tick.hasNonNull("lastFireAt")).isTrue();
        assertThat(tick.hasNonNull("lastJobId")).isTrue();
        JsonNode last = api.job(tick.get("lastJobId").asString());
        assertThat(last.get("idempotencyKey").asString()).matches(KEY);
        String lastJobId = last.get("id").asString();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "SUCCEEDED".equals(api.job(lastJobId).get("status").asString()));
    }
}
