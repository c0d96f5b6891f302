package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;

/**
 * A raw HTTP client for one running service: {@link HttpClient} over HTTP/1.1, every request bounded by a
 * timeout, optional default headers (a bearer token). Answers are {@link Reply}s; nothing is asserted here
 * except in the helpers named for a successful outcome ({@link #submit}, {@link #awaitFinished}).
 */
final class ApiClient {

    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> TERMINAL = Set.of("SUCCEEDED", "FAILED", "CANCELLED");

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;
    private final String[] defaultHeaders;

    ApiClient(int port, String... defaultHeaders) {
        this.base = URI.create("http://localhost:" + port);
        this.defaultHeaders = defaultHeaders.clone();
    }

    URI uri(String pathAndQuery) {
        return base.resolve(pathAndQuery);
    }

    /** A request to {@code pathAndQuery} (sent as written, percent-escapes included) with the default headers. */
    HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(REQUEST_TIMEOUT);
        if (defaultHeaders.length > 0) {
            builder.headers(defaultHeaders);
        }
        return builder;
    }

    Reply send(HttpRequest request) {
        try {
            var response = client.send(request, BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Reply get(String pathAndQuery, String... headers) {
        HttpRequest.Builder builder = request(pathAndQuery).GET();
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    Reply post(String pathAndQuery, String json, String... headers) {
        HttpRequest.Builder builder = request(pathAndQuery).header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (headers.length > 0) {
            builder.headers(headers);
        }
        return send(builder.build());
    }

    Reply delete(String pathAndQuery) {
        return send(request(pathAndQuery).DELETE().build());
    }

    /** Submits a job that must be accepted, and answers its view. */
    JsonNode submit(String json) {
        Reply reply = post("/jobs", json);
        assertThat(reply.status()).as("POST /jobs %s -> %s", json, reply.body()).isEqualTo(202);
        return reply.json();
    }

    JsonNode job(String id) {
        Reply reply = get("/jobs/" + id);
        assertThat(reply.status()).as("GET /jobs/%s -> %s", id, reply.body()).isEqualTo(200);
        return reply.json();
    }

    /** Long-polls until the job is finished (bounded), and answers its final view. */
    JsonNode awaitFinished(String id, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
            Reply reply = get("/jobs/" + id + "?waitMs=1000");
            assertThat(reply.status()).as(reply.body()).isEqualTo(200);
            last[0] = reply.json();
            return TERMINAL.contains(last[0].get("status").asString());
        });
        return last[0];
    }

    JsonNode awaitStatus(String id, String status, Duration atMost) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            last[0] = job(id);
            return status.equals(last[0].get("status").asString());
        });
        return last[0];
    }

    /** The ids of every job the list shows (newest first), at most 1000. */
    List<String> jobIds() {
        Reply reply = get("/jobs?limit=1000");
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        reply.json().get("jobs").forEach(job -> ids.add(job.get("id").asString()));
        return ids;
    }

    /** Cancels every QUEUED or RUNNING job, so that the service stops cleanly at the end of the run. */
    void cancelUnfinished() {
        for (String status : List.of("QUEUED", "RUNNING")) {
            Reply reply = get("/jobs?limit=1000&status=" + status);
            if (reply.status() != 200) {
                continue;
            }
            reply.json().get("jobs").forEach(job -> delete("/jobs/" + job.get("id").asString()));
        }
    }
}
