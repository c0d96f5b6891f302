package dev.quiesce.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's Server-Sent Events stream across a real stop: it streams the drain and never holds the stop. */
@Timeout(value = 5, unit = TimeUnit.MINUTES) // a backstop against hangs; every wait inside is bounded
class ConsoleStreamProcessIT {

    private static final Duration BUDGET = Duration.ofSeconds(4);

    @RegisterExtension
    static final QuiesceProcesses processes = new QuiesceProcesses();

    @Test
    void whenAConsoleStreamIsOpenAtSigtermThenItStreamsTheDrainEndsCleanlyAndTheExitIsZeroWithinTheBudget()
            throws Exception {
        QuiesceProcess quiesce = processes.start("--quiesce.pool.workers=2",
                "--quiesce.shutdown.budget=" + BUDGET.toMillis() + "ms");
        for (int i = 0; i < 4; i++) {
            quiesce.submitAccepted("{\"type\":\"sleep\",\"params\":{\"durationMs\":800}}");
        }
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<Void>> stream = client.sendAsync(
                HttpRequest.newBuilder(quiesce.uri("/lifecycle/stream")).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofByteArrayConsumer(chunk -> chunk.ifPresent(
                        bytes -> lines.addAll(List.of(new String(bytes).split("\n"))))));
        await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith("event:")));

        long signalled = System.nanoTime();
        quiesce.sigterm();

        HttpResponse<Void> response = stream.get(BUDGET.toSeconds() + 10, TimeUnit.SECONDS);
        long streamEndedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        int status = quiesce.awaitExit(QuiesceProcess.EXIT_LIMIT);
        long exitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
        System.out.printf("SSE: stream ended %d ms after SIGTERM; exit status %d after %d ms (budget %d ms)%n",
                streamEndedMs, status, exitedMs, BUDGET.toMillis());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        assertThat(lines).as("the stream carried the drain").anyMatch(l -> l.startsWith("data:")
                && l.contains("\"state\":\"DRAINING\""));
        assertThat(status).as("exit status with a console stream open").isZero();
        assertThat(streamEndedMs).as("the stream ended within the budget").isLessThan(BUDGET.toMillis());
        assertThat(exitedMs).as("exit within the budget (plus JVM exit time)")
                .isLessThan(BUDGET.toMillis() + 2_000);
    }
}
