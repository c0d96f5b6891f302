package dev.quiesce.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.quiesce.testing.HttpChunks;

/**
 * HTTP/1.1 over a plain socket, for requests an HTTP client refuses to send (a bad chunk size, a declared body
 * that never comes): writes the bytes as given and reads the answer within a bound.
 */
final class RawHttp {

    static final Duration READ_BOUND = Duration.ofSeconds(5);

    private RawHttp() {
    }

    /** One answer and how the connection ended after it. */
    record Exchange(Reply reply, boolean closedByServer, Duration untilClosed) {
    }

    /** Sends {@code request} and reads until the server closes the connection or {@link #READ_BOUND} passes. */
    static Exchange exchange(int port, byte[] request) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) READ_BOUND.toMillis());
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            boolean closed = false;
            InputStream in = socket.getInputStream();
            byte[] chunk = new byte[8192];
            try {
                int read;
                while ((read = in.read(chunk)) != -1) {
                    received.write(chunk, 0, read);
                    if (System.nanoTime() - start > READ_BOUND.toNanos()) {
                        break;
                    }
                }
                closed = read == -1;
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset by the server: closed too
            }
            return new Exchange(parse(received.toByteArray()), closed, Duration.ofNanos(System.nanoTime() - start));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply send(int port, String head, byte[] body) {
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return exchange(port, request).reply();
    }

    /** The first answer in {@code bytes}: status line, headers, and a body framed by length, chunks or the close. */
    static Reply parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new AssertionError("no complete answer in: " + text);
        }
        String[] lines = text.substring(0, headEnd).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        HttpHeaders parsed = HttpHeaders.of(headers, (name, value) -> true);
        String rest = text.substring(headEnd + 4);
        String body;
        if (parsed.firstValue("Content-Length").isPresent()) {
            body = rest.substring(0, Math.min(rest.length(), Integer.parseInt(parsed.firstValue("Content-Length").get())));
        } else if (parsed.firstValue("Transfer-Encoding").map(v -> v.toLowerCase(Locale.ROOT).contains("chunked"))
                .orElse(false)) {
            body = HttpChunks.decode(rest);
        } else {
            body = rest;
        }
        return new Reply(status, parsed, new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }
}
