package dev.quiesce.testing;

/** HTTP/1.1 chunked transfer coding, for the tests that read answers from raw sockets. */
public final class HttpChunks {

    private HttpChunks() {
    }

    /**
     * The body that {@code chunked} carries, up to its last (empty) chunk; an answer cut short before it fails.
     * The text must have a character per byte (ASCII, or ISO-8859-1), as chunk sizes count bytes.
     */
    public static String decode(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                throw new AssertionError("a chunked body cut short: " + chunked);
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            if (lineEnd + 2 + size > chunked.length()) {
                throw new AssertionError("a chunked body cut short: " + chunked);
            }
            body.append(chunked, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
