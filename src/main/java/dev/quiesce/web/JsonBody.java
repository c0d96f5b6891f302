package dev.quiesce.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.jobs.types.StrictJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.JsonNode;

/**
 * Reads a request body as JSON text that is valid Unicode: strict UTF-8 (an overlong or truncated sequence, an
 * encoded surrogate or a stray byte is refused, never replaced or decoded loosely) and no string or field name
 * with a lone surrogate escape such as {@code "\ud800"}. What is wrong is said in the client's terms, naming the
 * field where it can be told.
 */
final class JsonBody {

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private JsonBody() {
    }

    /**
     * @return the document, or {@code null}/a missing node for an empty one (the caller decides what it needs)
     * @throws InvalidJobException naming the field (or {@code body}) for invalid UTF-8, invalid JSON or invalid
     *         Unicode
     */
    static JsonNode read(byte[] bytes) {
        String text = decode(bytes);
        if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1); // RFC 8259 lets a parser ignore it; the byte reader always did
        }
        JsonNode tree;
        try {
            tree = StrictJson.MAPPER.readTree(text);
        } catch (JacksonException e) {
            throw invalidJson(e);
        }
        if (tree != null) {
            String field = firstLoneSurrogate(tree, "");
            if (field != null) {
                throw InvalidJobException.of(field.isEmpty() ? "body" : field,
                        "is not valid Unicode: a lone surrogate escape (\\ud800 to \\udfff without its pair)");
            }
        }
        return tree;
    }

    private static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int offset = in.position();
            throw InvalidJobException.of(fieldBefore(bytes, offset),
                    "is not valid UTF-8 (byte " + offset + " of the body begins an invalid sequence)");
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    /** The field whose text the valid prefix {@code bytes[0, end)} ends in, or {@code body}. */
    private static String fieldBefore(byte[] bytes, int end) {
        try (JsonParser parser = StrictJson.MAPPER.createParser(bytes, 0, end)) {
            while (parser.nextToken() != null) {
                // walk on to where the valid bytes end
            }
            return "body";
        } catch (JacksonException e) {
            return e instanceof StreamReadException read && read.processor() != null
                    ? pathOf(read.processor().streamReadContext()) : "body";
        }
    }

    private static InvalidJobException invalidJson(JacksonException e) {
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Duplicate") && e instanceof StreamReadException read && read.processor() != null) {
            return InvalidJobException.of(pathOf(read.processor().streamReadContext()), "duplicate field");
        }
        return InvalidJobException.of("body", "is not valid JSON: " + JsonErrors.describe(e));
    }

    /** {@code params.tasks[0].type} for the member the context is at; {@code body} at the root. */
    static String pathOf(TokenStreamContext context) {
        Deque<String> segments = new ArrayDeque<>();
        for (TokenStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
            if (at.inObject() && at.currentName() != null) {
                segments.addFirst("." + Problems.printable(at.currentName()));
            } else if (at.inArray()) {
                segments.addFirst("[" + Math.max(0, at.getCurrentIndex()) + "]");
            }
        }
        String path = String.join("", segments);
        return path.isEmpty() ? "body" : path.startsWith(".") ? path.substring(1) : path;
    }

    /** The path of the first field name or string holding a lone surrogate, {@code ""} for the root, or null. */
    private static String firstLoneSurrogate(JsonNode node, String path) {
        if (node.isString()) {
            return hasLoneSurrogate(node.asString()) ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = firstLoneSurrogate(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> member : node.properties()) {
                String at = (path.isEmpty() ? "" : path + ".") + Problems.printable(member.getKey());
                if (hasLoneSurrogate(member.getKey())) {
                    return at;
                }
                String found = firstLoneSurrogate(member.getValue(), at);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
