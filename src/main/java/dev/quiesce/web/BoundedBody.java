package dev.quiesce.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

/** Reads a request body of at most {@code limit} bytes; never holds more than the limit in memory. */
final class BoundedBody {

    private BoundedBody() {
    }

    static byte[] read(HttpServletRequest request, int limit) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            throw new PayloadTooLargeException(limit);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream(declared > 0 ? (int) declared : 1024);
        byte[] chunk = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int read;
            while ((read = in.read(chunk)) != -1) {
                if (body.size() + read > limit) {
                    throw new PayloadTooLargeException(limit);
                }
                body.write(chunk, 0, read);
            }
        }
        return body.toByteArray();
    }
}
