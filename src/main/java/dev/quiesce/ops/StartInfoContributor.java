package dev.quiesce.ops;

import java.time.Instant;
import java.util.Map;

import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

import dev.quiesce.config.QuiesceProperties;

/** {@code /actuator/info}: this instance and when it started (the console shows the uptime from it). */
final class StartInfoContributor implements InfoContributor {

    private final String instance;
    private final Instant startedAt;

    StartInfoContributor(QuiesceProperties properties, Instant startedAt) {
        this.instance = properties.instanceId();
        this.startedAt = startedAt;
    }

    @Override
    public void contribute(Info.Builder builder) {
        builder.withDetail("quiesce", Map.of("instance", instance, "startedAt", startedAt.toString()));
    }
}
