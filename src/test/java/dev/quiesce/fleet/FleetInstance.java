package dev.quiesce.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipFile;

import dev.quiesce.testing.ProcessSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real quiesce process of a fleet: the packaged jar ({@code -Dquiesce.jar}) run by the test JVM's java, or
 * {@code -Dquiesce.java} when set, on a given port of 127.0.0.1 (so a restart can take the same port, as a
 * load balancer expects), with its {@code --quiesce.instance-id} and the fleet's PostgreSQL database. Its
 * output is appended to its own log file, which survives restarts.
 */
final class FleetInstance implements AutoCloseable {

    /** Generous: catches a hung start, does not judge a slow one (three JVMs on a busy 2-core machine). */
    static final Duration START_LIMIT = Duration.ofSeconds(150);
    /** Generous bound for a stop whose budget is a few seconds. */
    static final Duration EXIT_LIMIT = Duration.ofSeconds(60);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** One client for every instance: HTTP/1.1 as a load balancer speaks it to its backends. */
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final String id;
    private final int port;
    private final Path log;
    private final Process process;

    private FleetInstance(String id, int port, Path log, Process process) {
        this.id = id;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /** Starts quiesce (does not wait for it to be ready). */
    static FleetInstance launch(String id, int port, String databaseUrl, Path workDir, Path log, List<String> args)
            throws IOException {
        List<String> command = ProcessSupport.javaCommand("-jar");
        command.add(jar().toString());
        command.add("--server.port=" + port);
        command.add("--server.address=127.0.0.1");
        command.add("--spring.datasource.url=" + databaseUrl);
        command.add("--quiesce.instance-id=" + id);
        command.addAll(args);
        Process process = ProcessSupport.startLogged(command, workDir, log).process();
        return new FleetInstance(id, port, log, process);
    }

    /** Waits until readiness answers 200; fails at once if the process exits. */
    FleetInstance awaitReady() {
        ProcessSupport.awaitReady(process, toString(), log, START_LIMIT,
                () -> get("/actuator/health/readiness").statusCode() == 200);
        return this;
    }

    String id() {
        return id;
    }

    int port() {
        return port;
    }

    Path log() {
        return log;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM ({@link Process#destroy()} sends SIGTERM on Unix). */
    void sigterm() {
        process.destroy();
    }

    void sigkill() throws IOException, InterruptedException {
        ProcessSupport.signal(process, "KILL");
    }

    int awaitExit(Duration limit) throws InterruptedException {
        return ProcessSupport.awaitExit(process, toString(), log, limit);
    }

    /** Kills the process if it still runs and waits for it to be gone. */
    @Override
    public void close() throws InterruptedException {
        ProcessSupport.kill(process);
    }

    @Override
    public String toString() {
        return "quiesce[" + id + ", pid " + process.pid() + ", port " + port + "]";
    }

    // ---- HTTP

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /jobs}, with an {@code Idempotency-Key} when {@code key} is not null. */
    HttpResponse<String> submit(String jobJson, String key) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri("/jobs")).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(jobJson));
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Submits a job that must be accepted (202) and answers its id. */
    String submitAccepted(String jobJson) throws IOException, InterruptedException {
        HttpResponse<String> response = submit(jobJson, null);
        assertThat(response.statusCode()).as("POST /jobs %s to %s answered %s", jobJson, this, response.body())
                .isEqualTo(202);
        return json(response).get("id").asString();
    }

    JsonNode job(String jobId) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/jobs/" + jobId);
        assertThat(response.statusCode()).as("GET /jobs/%s: %s", jobId, response.body()).isEqualTo(200);
        return json(response);
    }

    /** Jobs of the shared store, newest first, all pages ({@code status} may be null for every status). */
    List<JsonNode> jobs(String status) throws IOException, InterruptedException {
        List<JsonNode> jobs = new ArrayList<>();
        String cursor = null;
        do {
            String path = "/jobs?limit=1000" + (status == null ? "" : "&status=" + status)
                    + (cursor == null ? "" : "&cursor=" + cursor);
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(200);
            JsonNode page = json(response);
            page.get("jobs").forEach(jobs::add);
            JsonNode next = page.get("next");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return jobs;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    // ---- environment

    private static Path jarCopy;

    /**
     * A private copy of the packaged jar, taken once: other builds in the same project may rewrite
     * {@code target/} while the fleet runs, and a restart must start the same code. A jar caught half-written is
     * waited for.
     */
    static synchronized Path jar() throws IOException {
        if (jarCopy == null) {
            Path packaged = packagedJar();
            Path copy = Files.createTempDirectory("quiesce-fleet-jar-").resolve(packaged.getFileName());
            await("a complete " + packaged).atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2))
                    .ignoreExceptions().until(() -> {
                        Files.copy(packaged, copy, StandardCopyOption.REPLACE_EXISTING);
                        try (ZipFile zip = new ZipFile(copy.toFile())) {
                            return zip.getEntry("META-INF/MANIFEST.MF") != null;
                        }
                    });
            copy.getParent().toFile().deleteOnExit(); // deleted after the file (reverse order)
            copy.toFile().deleteOnExit();
            jarCopy = copy;
        }
        return jarCopy;
    }

    private static Path packagedJar() {
        String jar = System.getProperty("quiesce.jar");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property quiesce.jar is not set: run the process tests with "
                    + "Maven Failsafe (./mvnw verify), which passes the packaged jar");
        }
        Path path = Path.of(jar).toAbsolutePath();
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("quiesce.jar " + path + " does not exist: package first");
        }
        return path;
    }
}
