package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /instances} on SQLite: the one instance with its last heartbeat, and the rows of others sharing the
 * store, listed while they beat and dropped (and forgotten) once silent for three leases. A 3 s lease: a beat a
 * second.
 */
@ServiceTest(properties = { "quiesce.instance-id=instances-test", "quiesce.jobs.lease=3s" })
class InstancesTest {

    private static final Duration BEATS_WITHIN = Duration.ofSeconds(10);

    /** This service's own database, to write the rows of other instances beside its own. */
    @Value("${spring.datasource.url}")
    String database;

    @Autowired
    ApiClient api;

    private List<String> listedIds() {
        Reply reply = api.get("/instances");
        assertThat(reply.status()).as("%s", reply).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().get("instances").forEach(instance -> ids.add(instance.get("id").asString()));
        return ids;
    }

    @Test
    void withSqliteTheOneInstanceIsListedWithItsLastHeartbeatAndItsBuildVersion() {
        Instant before = Instant.now();
        await().atMost(BEATS_WITHIN).until(() -> "RUNNING".equals(
                api.get("/instances").json().get("instances").get(0).get("state").asString()));

        Reply reply = api.get("/instances");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/json");
        JsonNode instances = reply.json().get("instances");
        assertThat(instances.size()).isOne();
        JsonNode self = instances.get(0);
        assertThat(self.get("id").asString()).isEqualTo("instances-test");
        Instant startedAt = Instant.parse(self.get("startedAt").asString());
        Instant lastSeenAt = Instant.parse(self.get("lastSeenAt").asString());
        assertThat(startedAt).isBefore(before);
        assertThat(lastSeenAt).isAfterOrEqualTo(startedAt).isBefore(Instant.now().plusSeconds(1));
        assertThat(self.get("running").asLong()).isZero();
        String version = api.get("/actuator/info").json().get("build").get("version").asString();
        assertThat(self.get("version").asString()).isNotBlank().isEqualTo(version);
    }

    @Test
    void anotherInstanceIsListedWhileItBeatsAndOneSilentForThreeLeasesIsNotAndIsForgotten() throws Exception {
        long now = System.currentTimeMillis();
        beat("other-live", now);
        beat("other-gone", now - Duration.ofSeconds(10).toMillis()); // silent for over three 3 s leases

        await().atMost(BEATS_WITHIN).until(() -> listedIds().contains("other-live"));

        assertThat(listedIds()).containsExactly("instances-test", "other-live");
        assertThat(storedIds()).doesNotContain("other-gone");
        await("other-live dropping out once silent for three leases").atMost(Duration.ofSeconds(20))
                .until(() -> listedIds().equals(List.of("instances-test")));
    }

    private void beat(String id, long lastSeenAt) throws Exception {
        try (Connection connection = DriverManager.getConnection(database);
                PreparedStatement insert = connection.prepareStatement("INSERT INTO instances (id, state, "
                        + "started_at, last_seen_at, running, version) VALUES (?, 'RUNNING', ?, ?, 1, '0.0.1')")) {
            insert.setString(1, id);
            insert.setLong(2, lastSeenAt);
            insert.setLong(3, lastSeenAt);
            insert.executeUpdate();
        }
    }

    private List<String> storedIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database);
                PreparedStatement select = connection.prepareStatement("SELECT id FROM instances ORDER BY id");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}
