package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console is served with headers that keep it from being framed, content-sniffed or made to run anything
 * but its own files, and the page fits its policy: nothing inline for the policy to refuse. And a
 * {@code HEAD} of the lifecycle stream answers at once instead of holding a stream open.
 */
class ConsoleHeadersTest extends RunningServiceTest {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
            + "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    @ParameterizedTest(name = "GET {0} carries the console's policy, nosniff and DENY")
    @ValueSource(strings = { "/", "/index.html" })
    void thePageIsServedWithAPolicyNosniffAndNoFraming(String path) {
        Reply reply = api.get(path);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("text/html");
        assertThat(reply.body()).contains("<title>quiesce console</title>");
        assertThat(reply.headers().allValues("Content-Security-Policy")).containsExactly(POLICY);
        assertThat(reply.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
        assertThat(reply.headers().allValues("X-Frame-Options")).containsExactly("DENY");
    }

    @ParameterizedTest(name = "GET {0} is served with nosniff")
    @ValueSource(strings = { "/console/console.js", "/console/console.css" })
    void theFilesThePageLoadsAreServedWithNosniff(String path) {
        Reply reply = api.get(path);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith(path.endsWith(".js") ? "text/javascript" : "text/css");
        assertThat(reply.headers().allValues("X-Content-Type-Options")).containsExactly("nosniff");
    }

    @Test
    void thePageAndItsScriptHoldNothingThePolicyWouldRefuse() {
        String page = api.get("/").body();
        String script = api.get("/console/console.js").body();

        assertThat(page).as("the page loads its own script and style")
                .contains("<script src=\"/console/console.js\"></script>")
                .contains("<link rel=\"stylesheet\" href=\"/console/console.css\">");
        assertThat(Pattern.compile("<script(?![^>]*\\ssrc=\"/)[^>]*>").matcher(page).find())
                .as("an inline or foreign script").isFalse();
        assertThat(page).as("inline style").doesNotContain("<style").doesNotContain(" style=");
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(page).find())
                .as("an inline event handler").isFalse();
        assertThat(page).doesNotContain("javascript:");
        assertThat(Pattern.compile("(src|href)=\"(?!/[^/])").matcher(page).find())
                .as("a file from another origin").isFalse();
        for (String refused : List.of(" style=", "setAttribute(\"style\"", "eval(", "new Function", "cssText")) {
            assertThat(script).as("the script").doesNotContain(refused);
        }
        for (String markup : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write")) {
            assertThat(script).as("the script puts what the server sends in as text, never as markup")
                    .doesNotContain(markup);
        }
    }

    @Test
    @Timeout(30)
    void aHeadOfTheLifecycleStreamAnswersAtOnceAndLetsTheConnectionClose() throws IOException {
        long started = System.nanoTime();
        String reply = exchange("HEAD /lifecycle/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream"
                + "\r\nConnection: close\r\n\r\n", Duration.ofSeconds(5));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply).startsWith("HTTP/1.1 200 ");
        assertThat(reply.toLowerCase(java.util.Locale.ROOT)).contains("content-type: text/event-stream");
        assertThat(reply).as("a HEAD answer has no body").endsWith("\r\n\r\n");
        assertThat(took).as("answered and closed").isLessThan(Duration.ofSeconds(5));
    }

    /**
     * Sends {@code request} as written and answers everything the server sends until it closes the connection;
     * a server that holds the connection past {@code within} fails with a read timeout.
     */
    private String exchange(String request, Duration within) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) within.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
