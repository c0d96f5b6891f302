package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipFile;

import dev.quiesce.testing.ProcessSupport;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real quiesce process, started from the packaged jar ({@code -Dquiesce.jar}, through a private copy: see
 * {@link #jar()}) with the java binary of the test JVM, or {@code -Dquiesce.java} when set. It listens on a port
 * of 127.0.0.1 and keeps its SQLite store in a directory the test owns (unless it is given a
 * {@code --spring.datasource.url}), so a later process can be started on the same file. Its stdout and stderr go
 * to a log file; {@link #output()} reads what this process wrote there. Launched with an error log, its stderr
 * goes there instead ({@link #errorOutput()}).
 */
final class QuiesceProcess implements AutoCloseable {

    /** Generous: catches a hung start, does not judge a slow one (a busy 2-core CI machine, JDK 25). */
    static final Duration START_LIMIT = Duration.ofSeconds(120);
    /** Generous bound for a stop that should be quick. */
    static final Duration EXIT_LIMIT = Duration.ofSeconds(45);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    static final String READINESS = "/actuator/health/readiness";
    static final String LIVENESS = "/actuator/health/liveness";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INSTANCE_ID = "--quiesce.instance-id=";

    /**
     * How a process is started: on {@code port}, in {@code dataDir}, its output appended to {@code log} (its
     * stderr to {@code errorLog} instead when that is not null), with JVM options {@code jvmArgs} (before
     * {@code -jar}) and {@code args}. With a {@code loaderPath} (null: none) the jar is started through Spring
     * Boot's {@code PropertiesLauncher} with {@code -Dloader.path} set to it, as a user adds plug-ins (job types)
     * to the jar. Starting it again the same way is a restart.
     */
    record Setup(int port, Path dataDir, Path log, Path errorLog, List<String> jvmArgs, List<String> args,
            Path loaderPath) {

        Setup {
            jvmArgs = List.copyOf(jvmArgs);
            args = List.copyOf(args);
        }

        Setup(int port, Path dataDir, Path log, Path errorLog, List<String> jvmArgs, List<String> args) {
            this(port, dataDir, log, errorLog, jvmArgs, args, null);
        }
    }

    /** Spring Boot's launcher that reads {@code loader.path} (the jar's own, {@code JarLauncher}, does not). */
    private static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

    private final Process process;
    private final Setup setup;
    private final long outputOffset;
    private final HttpClient http;
    private final List<String> command;

    private QuiesceProcess(Process process, Setup setup, long outputOffset, List<String> command) {
        this.process = process;
        this.setup = setup;
        this.outputOffset = outputOffset;
        this.command = command;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Starts the process as {@code setup} says; does not wait for it to be ready. */
    static QuiesceProcess launch(Setup setup) throws IOException {
        List<String> command = new ArrayList<>();
        if (sigintIgnoredHere()) {
            // A child inherits an ignored SIGINT (e.g. Maven started in the background by a script), and the
            // JVM then leaves it ignored; reset it so the SIGINT test tests the service, not the shell.
            command.add("env");
            command.add("--default-signal=INT");
        }
        command.addAll(ProcessSupport.javaCommand());
        command.addAll(setup.jvmArgs());
        if (setup.loaderPath() == null) {
            command.add("-jar");
            command.add(jar().toString());
        } else {
            command.add("-Dloader.path=" + setup.loaderPath());
            command.add("-cp");
            command.add(jar().toString());
            command.add(PROPERTIES_LAUNCHER);
        }
        command.add("--server.port=" + setup.port());
        command.add("--server.address=127.0.0.1");
        if (setup.args().stream().noneMatch(arg -> arg.startsWith("--spring.datasource.url="))) {
            command.add("--spring.datasource.url=jdbc:sqlite:" + setup.dataDir().resolve("q.db"));
        }
        command.addAll(setup.args());

        ProcessSupport.LoggedProcess started = ProcessSupport.startLogged(command, setup.dataDir(), setup.log(),
                setup.errorLog());
        return new QuiesceProcess(started.process(), setup, started.outputOffset(), List.copyOf(command));
    }

    /** Waits until {@code GET /actuator/health/readiness} answers 200; fails at once if the process exits. */
    QuiesceProcess awaitReady() {
        return awaitReady(START_LIMIT);
    }

    /** As {@link #awaitReady()}, waiting at most {@code limit}. */
    QuiesceProcess awaitReady(Duration limit) {
        ProcessSupport.awaitReady(process, toString(), setup.log(), limit, () -> get(READINESS).statusCode() == 200);
        return this;
    }

    Setup setup() {
        return setup;
    }

    int port() {
        return setup.port();
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return setup.log();
    }

    /** The {@code --quiesce.instance-id} it was started with, or null when it was given none. */
    String instanceId() {
        return setup.args().stream().filter(arg -> arg.startsWith(INSTANCE_ID))
                .map(arg -> arg.substring(INSTANCE_ID.length())).reduce((first, last) -> last).orElse(null);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    // ---- signals and exit

    /** SIGTERM ({@link Process#destroy()} sends SIGTERM on Unix). */
    void sigterm() {
        process.destroy();
    }

    void sigint() throws IOException, InterruptedException {
        signal("INT");
    }

    void sigkill() throws IOException, InterruptedException {
        signal("KILL");
    }

    private void signal(String name) throws IOException, InterruptedException {
        ProcessSupport.signal(process, name);
    }

    /** Waits for the process to exit, at most {@code limit}, and answers its exit status. */
    int awaitExit(Duration limit) throws InterruptedException {
        return ProcessSupport.awaitExit(process, toString(), setup.log(), limit);
    }

    /** What this process wrote to stdout and stderr (so far). */
    String output() throws IOException {
        byte[] all = Files.readAllBytes(setup.log());
        int from = (int) Math.min(outputOffset, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    /** What this process wrote to stderr, when it was launched with an error log of its own. */
    String errorOutput() throws IOException {
        Path errorLog = setup.errorLog();
        if (errorLog == null) {
            throw new IllegalStateException(this + " writes stderr into its log: see output()");
        }
        return Files.exists(errorLog) ? Files.readString(errorLog, StandardCharsets.UTF_8) : "";
    }

    /** Kills the process if it still runs (SIGKILL) and waits for it to be gone. */
    @Override
    public void close() throws InterruptedException {
        ProcessSupport.kill(process);
    }

    @Override
    public String toString() {
        String id = instanceId();
        return "quiesce[" + (id == null ? "" : id + ", ") + "pid " + process.pid() + ", port " + port() + "]";
    }

    // ---- HTTP

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).GET().build());
    }

    CompletableFuture<HttpResponse<String>> getAsync(String path, Duration timeout) {
        return http.sendAsync(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Opens the Server-Sent Events stream at {@code path} and answers its first {@code data:} line, waiting at
     * most {@code limit} for it; the stream is closed after.
     */
    String firstEvent(String path, Duration limit) throws Exception {
        CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
            try {
                HttpResponse<java.util.stream.Stream<String>> response = http.send(
                        HttpRequest.newBuilder(uri(path)).timeout(limit).GET().build(),
                        HttpResponse.BodyHandlers.ofLines());
                try (java.util.stream.Stream<String> lines = response.body()) {
                    return lines.filter(line -> line.startsWith("data:")).findFirst().orElse(null);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
        try {
            return first.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } finally {
            first.cancel(true);
        }
    }

    /** {@code POST path} with a JSON body and extra headers given as name, value, name, value... */
    HttpResponse<String> post(String path, String json, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT)
                .POST(json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return send(request.build());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(REQUEST_TIMEOUT).DELETE().build());
    }

    HttpResponse<String> submit(String jobJson, String... headers) throws IOException, InterruptedException {
        return post("/jobs", jobJson, headers);
    }

    /** Submits a job that must be accepted (202) and answers its id. */
    String submitAccepted(String jobJson) throws IOException, InterruptedException {
        HttpResponse<String> response = submit(jobJson);
        assertThat(response.statusCode()).as("POST /jobs %s answered %s", jobJson, response.body()).isEqualTo(202);
        return json(response).get("id").asString();
    }

    JsonNode lifecycle() throws IOException, InterruptedException {
        HttpResponse<String> response = get("/lifecycle");
        assertThat(response.statusCode()).as("GET /lifecycle: %s", response.body()).isEqualTo(200);
        return json(response);
    }

    JsonNode job(String id) throws IOException, InterruptedException {
        return job(id, null);
    }

    /** {@code GET /jobs/{id}}, a long poll when {@code waitMs} is set; the job must exist. */
    JsonNode job(String id, Integer waitMs) throws IOException, InterruptedException {
        HttpResponse<String> response = get("/jobs/" + id + (waitMs == null ? "" : "?waitMs=" + waitMs));
        assertThat(response.statusCode()).as("GET /jobs/%s: %s", id, response.body()).isEqualTo(200);
        return json(response);
    }

    /** Every job in the store, through {@code GET /jobs?limit=1000} and its cursor. */
    List<JsonNode> allJobs() throws IOException, InterruptedException {
        return jobs(null);
    }

    /** Every job in the store with {@code status} (every status when it is null), newest first, all pages. */
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
            assertThat(next).as("'next' is present (null at the end)").isNotNull();
            cursor = next.isNull() ? null : next.asString();
        } while (cursor != null);
        return jobs;
    }

    static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---- environment

    private static Path jarCopy;

    /**
     * A private copy of the packaged jar, taken once: other builds in the same project may rewrite
     * {@code target/} while the tests run, and a restart must start the same code. A jar caught half-written is
     * waited for.
     */
    static synchronized Path jar() throws IOException {
        if (jarCopy == null) {
            Path packaged = packagedJar();
            Path copy = Files.createTempDirectory("quiesce-jar-").resolve(packaged.getFileName());
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

    /** True on Linux when this JVM was started with SIGINT ignored (bit 2 of SigIgn). */
    private static boolean sigintIgnoredHere() {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return false;
        }
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & 0x2L) != 0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    List<String> command() {
        return command;
    }
}
