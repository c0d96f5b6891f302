package dev.quiesce.web;

import static dev.quiesce.web.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Requests broken below the JSON: their answers are framed problems, the connection ends when it should, and a
 * client cannot fill the log with them.
 */
@ExtendWith(OutputCaptureExtension.class)
class MalformedRequestsTest extends RunningServiceTest {

    /** Well below Tomcat's 60 s connection timeout, well above a loaded machine's answer time. */
    private static final Duration PROMPTLY = Duration.ofSeconds(3);

    @Test
    @Timeout(30)
    void aDeclaredBodyOverTheLimitThatNeverComesIsAnswered413AndTheConnectionClosedAtOnce() {
        RawHttp.Exchange exchange = RawHttp.exchange(port, ("POST /jobs HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 70000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

        assertProblem(exchange.reply(), 413);
        assertThat(exchange.reply().header("Connection")).isEqualToIgnoringCase("close");
        assertThat(exchange.reply().header("Content-Length")).as("framed, not delimited by the close")
                .isEqualTo(String.valueOf(exchange.reply().body().getBytes(StandardCharsets.UTF_8).length));
        assertThat(exchange.closedByServer()).as("closed by the server within %s", RawHttp.READ_BOUND).isTrue();
        assertThat(exchange.untilClosed()).isLessThan(PROMPTLY);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "/jobs?a=%", "/jobs?%zz=1", "/lifecycle?a=%", "/actuator/health?%zz=1",
            "/schedules?%e0%=1" })
    void aMalformedQueryStringLeavesAtMostOneLogLineAndNoStackTrace(String target, CapturedOutput output) {
        String logBefore = output.getAll();

        Reply reply = RawHttp.send(port, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                new byte[0]);

        assertProblem(reply, 400);
        assertAtMostOneLineAndNoTrace(output, logBefore);
    }

    @Test
    void tooManyQueryParametersLeaveAtMostOneLogLineAndNoStackTrace(CapturedOutput output) {
        String logBefore = output.getAll();
        StringBuilder query = new StringBuilder("/jobs?p0=1");
        for (int i = 1; i < 2000; i++) {
            query.append("&p").append(i).append("=1");
        }

        Reply reply = RawHttp.send(port, "GET " + query + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                new byte[0]);

        assertProblem(reply, 400);
        assertAtMostOneLineAndNoTrace(output, logBefore);
    }

    @Test
    void aBadChunkSizeLeavesAtMostOneLogLineAndNoStackTrace(CapturedOutput output) {
        String logBefore = output.getAll();

        Reply reply = RawHttp.send(port, "POST /jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n", "zz\r\n{}\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        assertProblem(reply, 400);
        assertAtMostOneLineAndNoTrace(output, logBefore);
    }

    @Test
    void a405NamesTheMethodsOfTheResourceItself() {
        assertThat(api.send(api.request("/jobs").method("TRACE", BodyPublishers.noBody()).build()).header("Allow"))
                .isEqualTo("GET, POST");
        assertThat(api.send(api.request("/jobs/x").method("TRACE", BodyPublishers.noBody()).build()).header("Allow"))
                .isEqualTo("GET, DELETE");
        assertThat(api.send(api.request("/").PUT(BodyPublishers.ofString("x")).build()).header("Allow"))
                .isEqualTo("GET, HEAD");
        assertThat(api.delete("/lifecycle").header("Allow")).isEqualTo("GET");
    }

    /** The servlet's lazy start logs three lines on the first request: not the malformed request's. */
    @BeforeEach
    void servletStarted() {
        assertThat(api.get("/lifecycle").status()).isEqualTo(200);
    }

    private static void assertAtMostOneLineAndNoTrace(CapturedOutput output, String logBefore) {
        String added = output.getAll().substring(Math.min(logBefore.length(), output.getAll().length()));
        List<String> lines = Arrays.stream(added.split("\\R")).filter(line -> !line.isBlank()).toList();
        assertThat(lines).as("log lines for one malformed request: %s", added).hasSizeLessThanOrEqualTo(1);
        assertThat(added).as("log for one malformed request").doesNotContain("\tat ", "Exception", "Unexpected error");
    }
}
