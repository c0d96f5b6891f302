package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** {@code forecast} in {@code /lifecycle} and {@code /actuator/lifecycle}: what a stop begun now would do. */
class LifecycleForecastTest extends RunningServiceTest {

    @AfterEach
    void cancelLeftovers() {
        api.cancelUnfinished();
    }

    @Test
    void theLifecycleViewsCarryTheForecastWithTheContractsFields() {
        for (String path : new String[] { "/lifecycle", "/actuator/lifecycle" }) {
            JsonNode forecast = api.get(path).json().get("forecast");

            assertThat(forecast).as(path).isNotNull();
            assertThat(forecast.get("clean").isBoolean()).as(path + " clean").isTrue();
            assertThat(forecast.get("needMs").isNumber()).as(path + " needMs").isTrue();
            assertThat(forecast.get("wouldRequeue").isNumber()).as(path + " wouldRequeue").isTrue();
            assertThat(forecast.get("wouldLeaveQueued").isNumber()).as(path + " wouldLeaveQueued").isTrue();
        }
    }

    @Test
    void aRunningJobExpectedToOutliveTheBudgetMakesTheForecastUnclean() {
        api.cancelUnfinished();
        String id = api.submit("{\"type\":\"sleep\",\"params\":{\"durationMs\":60000}}").get("id").asString();
        api.awaitStatus(id, "RUNNING", FINISH_WITHIN);

        JsonNode forecast = api.get("/lifecycle").json().get("forecast");

        assertThat(forecast.get("clean").asBoolean()).as(forecast.toString()).isFalse();
        assertThat(forecast.get("wouldRequeue").asLong()).as(forecast.toString()).isEqualTo(1);
        // 60 s expected, a little of it run already, plus the 0.8 s kept back from the 8 s budget
        assertThat(forecast.get("needMs").asLong()).as(forecast.toString()).isBetween(40_000L, 60_800L);
    }
}
