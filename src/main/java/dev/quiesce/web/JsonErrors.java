package dev.quiesce.web;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.quiesce.jobs.types.StrictJson;
import tools.jackson.core.JacksonException;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * JSON parse errors said in the client's terms, with where they are: never the parser's own message, which names
 * its classes and features ({@code JsonToken.START_OBJECT}, {@code JsonReadFeature...}) and echoes the source.
 */
final class JsonErrors {

    private static final Pattern UNEXPECTED_CHARACTER = Pattern.compile("^Unexpected character \\('(.)' \\(code (\\d+)\\)");
    private static final Pattern CONTROL_CHARACTER = Pattern.compile("CTRL-CHAR, code (\\d+)");
    private static final Pattern TOKEN = Pattern.compile("^(?:Unrecognized|Non-standard) token '([^']{1,40})'");

    private JsonErrors() {
    }

    static String describe(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return tooLarge(String.valueOf(e.getMessage()));
        }
        String message = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        return what(message) + where(e.getLocation());
    }

    private static String tooLarge(String message) {
        if (message.contains("nesting depth")) {
            return "nested deeper than " + StrictJson.MAX_NESTING_DEPTH + " levels";
        }
        if (message.contains("Number value length")) {
            return "a number too long (at most " + StrictJson.MAX_NUMBER_LENGTH + " characters)";
        }
        return "too large";
    }

    private static String what(String message) {
        Matcher character = UNEXPECTED_CHARACTER.matcher(message);
        if (character.find()) {
            int code = Integer.parseInt(character.group(2));
            return code < 0x20 || code > 0x7e ? "unexpected character (code " + code + ")"
                    : "unexpected character '" + character.group(1) + "'";
        }
        Matcher control = CONTROL_CHARACTER.matcher(message);
        if (control.find()) {
            return message.startsWith("Illegal unquoted character")
                    ? "a control character (code " + control.group(1) + ") in a string must be escaped"
                    : "unexpected control character (code " + control.group(1) + ")";
        }
        Matcher token = TOKEN.matcher(message);
        if (token.find()) {
            return "unexpected '" + Problems.printable(token.group(1)) + "' (not a JSON value)";
        }
        if (message.startsWith("Unexpected end-of-input")) {
            return "the document ends before it is complete";
        }
        if (message.startsWith("Trailing token")) {
            return "more content after the JSON value";
        }
        if (message.startsWith("Invalid numeric value") || message.startsWith("Invalid number")) {
            return "an invalid number";
        }
        if (message.startsWith("Unexpected close marker")) {
            return "a closing bracket that does not match";
        }
        if (message.startsWith("Unrecognized character escape")) {
            return "an invalid escape sequence";
        }
        return "a syntax error";
    }

    private static String where(TokenStreamLocation location) {
        if (location == null || location.getLineNr() < 1 || location.getColumnNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
