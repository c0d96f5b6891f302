package dev.quiesce.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;

/**
 * How a submit's body reaches the controller ({@link BodyFirstFilter}): all at once with the headers, or in parts
 * with a wait between them; either way the job is stored with the whole body.
 */
class BodyArrivalTest extends RunningServiceTest {

    private static final String BODY = "{\"type\":\"echo\",\"params\":{\"text\":\"one body in two parts\",\"times\":1}}";

    @Autowired
    BodyFirstFilter filter;

    @Test
    @Timeout(30)
    void aBodyWhoseFirstPartCameWithTheHeadersIsStoredWholeOnceTheRestArrives() throws Exception {
        byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
        int half = body.length / 2;
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            // Headers and the first half in one write: they reach the server together, the filter reads the
            // half without waiting and waits for the rest without a thread.
            byte[] head = ("POST /jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] first = new byte[head.length + half];
            System.arraycopy(head, 0, first, 0, head.length);
            System.arraycopy(body, 0, first, head.length, half);
            out.write(first);
            out.flush();
            await("the filter waits for the rest of the body").atMost(Duration.ofSeconds(10))
                    .until(() -> filter.reading() == 1);

            out.write(body, half, body.length - half);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).startsWith("HTTP/1.1 202");
            assertThat(answer).contains("\"text\":\"one body in two parts\"");
        }
        assertThat(filter.reading()).isZero();
    }

    @Test
    void aBodyThatCameWithTheHeadersIsStoredAndNothingWaitsForIt() {
        Reply reply = RawHttp.send(port, "POST /jobs HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n",
                BODY.getBytes(StandardCharsets.US_ASCII));

        assertThat(reply.status()).isEqualTo(202);
        assertThat(reply.body()).contains("\"text\":\"one body in two parts\"");
        assertThat(filter.reading()).isZero();
    }
}
