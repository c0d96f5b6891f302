package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.sun.management.UnixOperatingSystemMXBean;

import dev.quiesce.testing.HttpChunks;
import dev.quiesce.testing.ProcessSupport;
import tools.jackson.databind.JsonNode;

/**
 * A crowd of slow clients against the real jar: 2,000 long polls and 250 request bodies that stall take no
 * request thread, so health, {@code /lifecycle} and a submit still answer within 1 s (on Java 17 Tomcat has 200
 * platform threads). The polls then answer as they always do: at the job's finish, and at a stop's web phase,
 * which does not wait for them; the stalled bodies are answered 408 at their deadline. Raw sockets: each client
 * is one connection, opened here and read when its answer is due.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class SlowClientsProcessIT {

    private static final int POLLS = 2_000;
    private static final int SLOW_BODIES = 250;
    private static final Duration ANSWER_LIMIT = Duration.ofSeconds(1);
    private static final Duration BUDGET = Duration.ofSeconds(8);
    /** The body deadline of web.BodyFirstFilter (10 s), plus room for a loaded machine. */
    private static final Duration SLOW_BODY_ANSWER_LIMIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void closeSockets() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is all we want
            }
        }
    }

    @Test
    void whenTwoThousandLongPollsAndStalledBodiesAreOpenThenHealthLifecycleAndSubmitStillAnswerWithinOneSecond()
            throws Exception {
        int polls = pollsWithinFileLimit();
        QuiesceProcess quiesce = processes.start("--quiesce.pool.workers=2",
                "--quiesce.shutdown.budget=" + BUDGET.toSeconds() + "s");
        long socketsBefore = socketsOf(quiesce.pid());
        String finishing = quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(60_000));
        String stopped = quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(60_000));
        await("both jobs RUNNING").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> quiesce.job(finishing).get("status").asString().equals("RUNNING")
                        && quiesce.job(stopped).get("status").asString().equals("RUNNING"));

        // The flood: half the polls on a job that a cancel will finish, half on one only the stop ends.
        List<Socket> finishingPolls = new ArrayList<>();
        List<Socket> stoppedPolls = new ArrayList<>();
        for (int i = 0; i < polls; i++) {
            String id = i % 2 == 0 ? finishing : stopped;
            Socket poll = open(quiesce, "GET /jobs/" + id + "?waitMs=30000 HTTP/1.1\r\n" + host(quiesce)
                    + "Connection: close\r\n\r\n");
            (i % 2 == 0 ? finishingPolls : stoppedPolls).add(poll);
        }
        List<Socket> slowBodies = new ArrayList<>();
        for (int i = 0; i < SLOW_BODIES; i++) {
            slowBodies.add(open(quiesce, "POST /jobs HTTP/1.1\r\n" + host(quiesce)
                    + "Content-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n"
                    + "{\"type\":\"sl")); // 11 of 1,000 bytes, then nothing
        }
        int clients = polls + SLOW_BODIES;
        await("quiesce holds the " + clients + " connections").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).until(() -> socketsOf(quiesce.pid()) >= socketsBefore + clients);

        // While they are all open: each answer within a second, on a new connection, several times.
        Map<String, Long> slowestMillis = new TreeMap<>();
        for (int round = 0; round < 3; round++) {
            slowestMillis.merge("liveness", timed(() -> {
                HttpResponse<String> live = quiesce.get(QuiesceProcess.LIVENESS);
                assertThat(live.statusCode()).as("liveness: %s", live.body()).isEqualTo(200);
            }), Math::max);
            slowestMillis.merge("lifecycle", timed(() -> {
                assertThat(quiesce.lifecycle().get("state").asString()).isEqualTo("RUNNING");
            }), Math::max);
            slowestMillis.merge("submit", timed(() -> quiesce.submitAccepted(GracefulStopProcessIT.sleepJob(1))),
                    Math::max);
        }
        System.out.printf("figure: java=%s polls=%d slowBodies=%d slowest answer of 3: liveness %d ms, /lifecycle "
                + "%d ms, submit %d ms%n", ProcessSupport.javaBinary(), polls, SLOW_BODIES,
                slowestMillis.get("liveness"), slowestMillis.get("lifecycle"), slowestMillis.get("submit"));
        assertThat(slowestMillis).as("slowest answers (ms) with %d polls and %d stalled bodies open", polls,
                SLOW_BODIES).allSatisfy((what, millis) -> assertThat(millis).as(what)
                        .isLessThan(ANSWER_LIMIT.toMillis()));
        for (Socket poll : finishingPolls) {
            assertThat(poll.getInputStream().available()).as("a poll answered before its job finished").isZero();
        }

        // The job finishes (cancelled): its polls answer with it, at once.
        long cancelled = System.nanoTime();
        assertThat(quiesce.delete("/jobs/" + finishing).statusCode()).isEqualTo(202);
        for (Socket poll : finishingPolls) {
            Answer answer = answer(poll, Duration.ofSeconds(20));
            assertThat(answer.status()).as("poll on the cancelled job: %s", answer.body()).isEqualTo(200);
            assertThat(answer.json().get("status").asString()).as(answer.body()).isEqualTo("CANCELLED");
        }
        System.out.printf("figure: %d polls answered %d ms after the cancel of their job%n", finishingPolls.size(),
                millisSince(cancelled));

        // The stalled bodies: 408 at their deadline (10 s after each arrived).
        Map<String, Integer> bodyAnswers = new TreeMap<>(); // answer -> how many, to show them all if one is wrong
        for (Socket body : slowBodies) {
            String got;
            try {
                got = String.valueOf(answer(body, SLOW_BODY_ANSWER_LIMIT).status());
            } catch (AssertionError | IOException e) {
                got = e.toString().replace('\n', ' ');
            }
            bodyAnswers.merge(got, 1, Integer::sum);
        }
        assertThat(bodyAnswers).as("answers to the stalled bodies").containsOnlyKeys("408");

        // The stop: the web phase answers the other polls with the job as it is, and does not wait for them.
        long stopping = System.nanoTime();
        quiesce.sigterm();
        for (Socket poll : stoppedPolls) {
            Answer answer = answer(poll, BUDGET.plus(Duration.ofSeconds(10)));
            assertThat(answer.status()).as("poll open at the stop: %s", answer.body()).isEqualTo(200);
            assertThat(answer.json().get("id").asString()).isEqualTo(stopped);
        }
        long pollsAnswered = millisSince(stopping);
        int exit = quiesce.awaitExit(BUDGET.plus(Duration.ofSeconds(10)));
        System.out.printf("figure: %d polls answered %d ms after SIGTERM (budget %d s, the running job held the "
                + "stop until its deadline); exit %d after %d ms%n", stoppedPolls.size(), pollsAnswered,
                BUDGET.toSeconds(), exit, millisSince(stopping));
        assertThat(exit).as("exit status").isIn(0, 75);
        quiesce.output().lines().filter(line -> line.contains("Phase web ") || line.contains("Stop finished"))
                .forEach(line -> System.out.println("figure: " + line.substring(line.lastIndexOf(" : ") + 3)));
    }

    @Test
    void whenABodyStallsAtTheStopThenItIsAnswered503AtOnceAndTheStopDoesNotWaitForIt() throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.shutdown.budget=" + BUDGET.toSeconds() + "s");
        long socketsBefore = socketsOf(quiesce.pid());
        Socket stalled = open(quiesce, "POST /jobs HTTP/1.1\r\n" + host(quiesce)
                + "Content-Type: application/json\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n{");
        await("quiesce holds the connection").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> socketsOf(quiesce.pid()) > socketsBefore);

        long stopping = System.nanoTime();
        quiesce.sigterm();
        Answer answer = answer(stalled, Duration.ofSeconds(5));
        long answered = millisSince(stopping);
        assertThat(answer.status()).as("a body stalled at the stop: %s", answer.body()).isEqualTo(503);
        assertThat(quiesce.awaitExit(Duration.ofSeconds(15))).as("exit status of a clean stop").isZero();
        System.out.printf("figure: a stalled body answered %d ms after SIGTERM, exit after %d ms%n", answered,
                millisSince(stopping));
    }

    // ---- clients

    private Socket open(QuiesceProcess quiesce, String request) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.connect(new InetSocketAddress("127.0.0.1", quiesce.port()), 10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    private static String host(QuiesceProcess quiesce) {
        return "Host: 127.0.0.1:" + quiesce.port() + "\r\n";
    }

    record Answer(int status, String body) {
        JsonNode json() {
            return tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        }
    }

    /** Reads the answer of a {@code Connection: close} request until the server closes, within {@code limit}. */
    private static Answer answer(Socket socket, Duration limit) throws IOException {
        long until = System.nanoTime() + limit.toNanos();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        while (true) {
            long left = TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime());
            if (left <= 0) {
                throw new SocketTimeoutException("no complete answer within " + limit + ": " + bytes);
            }
            socket.setSoTimeout((int) left);
            int read;
            try {
                read = in.read(chunk);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException("no complete answer within " + limit + ": " + bytes);
            }
            if (read == -1) {
                break;
            }
            bytes.write(chunk, 0, read);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertThat(text).as("an HTTP answer").startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(text.substring(9, 12));
        int bodyAt = text.indexOf("\r\n\r\n");
        String body = bodyAt < 0 ? "" : text.substring(bodyAt + 4);
        if (text.substring(0, Math.max(bodyAt, 0)).toLowerCase().contains("transfer-encoding: chunked")) {
            body = HttpChunks.decode(body);
        }
        return new Answer(status, body);
    }

    // ---- measuring

    @FunctionalInterface
    private interface Call {
        void run() throws Exception;
    }

    private static long timed(Call call) throws Exception {
        long started = System.nanoTime();
        call.run();
        return millisSince(started);
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** Open sockets of a process (Linux: its /proc/pid/fd entries that are sockets). */
    private static long socketsOf(long pid) throws IOException {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/" + pid + "/fd"))) {
            return fds.filter(fd -> {
                try {
                    return java.nio.file.Files.readSymbolicLink(fd).toString().startsWith("socket:");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }

    /**
     * {@link #POLLS}, or fewer when this JVM may not open that many files (the clients' sockets, the JVM's own
     * files and a margin must fit under its limit); says so when it takes fewer.
     */
    private static int pollsWithinFileLimit() {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
        long room = limit - SLOW_BODIES - 512;
        int polls = (int) Math.max(0, Math.min(POLLS, room));
        if (polls < POLLS) {
            System.out.printf("figure: file limit %d: %d long polls instead of %d%n", limit, polls, POLLS);
        }
        assertThat(polls).as("long polls this JVM can open (file limit %d)", limit).isGreaterThan(SLOW_BODIES);
        return polls;
    }
}
