package dev.quiesce.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.quiesce.jobs.JobIds;

/**
 * The opaque keyset cursor of {@code GET /jobs}: the last id of a page, base64url-encoded. Ids grow with
 * time, so "older than the cursor" stays stable while jobs are added.
 */
final class Cursor {

    private static final String PREFIX = "v1:";

    private Cursor() {
    }

    static String after(String lastId) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
    }

    /** @throws BadRequestException when the text is not a cursor this service made */
    static String lastId(String cursor) {
        String decoded;
        try {
            decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("cursor", "is not a valid cursor");
        }
        String id = decoded.startsWith(PREFIX) ? decoded.substring(PREFIX.length()) : "";
        if (!JobIds.looksLikeId(id)) {
            throw new BadRequestException("cursor", "is not a valid cursor");
        }
        return id;
    }
}
