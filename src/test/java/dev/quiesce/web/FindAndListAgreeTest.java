package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;

/**
 * {@code GET /jobs/{id}} and {@code GET /jobs?status=} agree while an outcome waits to be written: the flush
 * interval is an hour (and the batch far from full), so every finished job here is still RUNNING in the store.
 */
@Timeout(120)
@ServiceTest(properties = { "quiesce.pool.workers=2", "quiesce.processor.flush-interval=1h",
        "quiesce.instance-id=agree-test" })
class FindAndListAgreeTest {

    private static final String LONG_SLEEP = "{\"type\":\"sleep\",\"params\":{\"durationMs\":60000}}";
    private static final String NO_SLEEP = "{\"type\":\"sleep\",\"params\":{\"durationMs\":0}}";

    @Value("${spring.datasource.url}")
    String database;

    @Autowired
    ApiClient api;

    @AfterEach
    void cancelLeftovers() {
        api.cancelUnfinished();
    }

    /** The status the store itself holds, outcomes not yet written aside. */
    private String storedStatus(String id) throws Exception {
        try (Connection connection = DriverManager.getConnection(database);
                PreparedStatement select = connection.prepareStatement("SELECT status FROM jobs WHERE id = ?")) {
            select.setString(1, id);
            try (ResultSet rows = select.executeQuery()) {
                assertThat(rows.next()).as("job %s is stored", id).isTrue();
                return rows.getString(1);
            }
        }
    }

    /** Every job {@code GET /jobs?status=} lists, following {@code next} page by page ({@code limit} a page). */
    private List<String> listAll(String status, int limit) {
        List<String> ids = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 50; page++) {
            Reply reply = api.get("/jobs?status=" + status + "&limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode body = reply.json();
            body.get("jobs").forEach(job -> {
                assertThat(job.get("status").asString()).as("a job listed under %s", status).isEqualTo(status);
                ids.add(job.get("id").asString());
            });
            JsonNode next = body.get("next");
            if (next == null || next.isNull()) {
                return ids;
            }
            cursor = next.asString();
        }
        throw new AssertionError("more than 50 pages of " + status);
    }

    @Test
    void aJobThatFinishedButIsNotYetWrittenIsListedUnderTheStatusItShowsAndNotUnderRunning() throws Exception {
        String running = api.submit(LONG_SLEEP).get("id").asString();
        api.awaitStatus(running, "RUNNING", RunningServiceTest.FINISH_WITHIN);
        List<String> finished = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = api.submit(NO_SLEEP).get("id").asString();
            assertThat(api.awaitFinished(id, RunningServiceTest.FINISH_WITHIN).get("status").asString())
                    .isEqualTo("SUCCEEDED");
            finished.add(0, id); // newest first, as lists are
        }
        for (String id : finished) {
            assertThat(storedStatus(id)).as("its outcome is not yet written").isEqualTo("RUNNING");
            assertThat(api.job(id).get("status").asString()).isEqualTo("SUCCEEDED");
        }

        assertThat(listAll("SUCCEEDED", 100)).containsExactlyElementsOf(finished);
        assertThat(listAll("SUCCEEDED", 1)).as("one to a page").containsExactlyElementsOf(finished);
        assertThat(listAll("RUNNING", 100)).containsExactly(running);
        assertThat(listAll("RUNNING", 1)).as("one to a page").containsExactly(running);
    }
}
