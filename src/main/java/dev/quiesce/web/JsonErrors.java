package dev.quiesce.web;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/** Short, safe descriptions of JSON parse errors (no class names, no echo of large input). */
final class JsonErrors {

    private JsonErrors() {
    }

    static String describe(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            return "too deeply nested or too large";
        }
        String message = e.getOriginalMessage();
        if (message == null) {
            return "syntax error";
        }
        int newline = message.indexOf('\n');
        String firstLine = newline < 0 ? message : message.substring(0, newline);
        firstLine = Problems.printable(firstLine);
        return firstLine.length() > 160 ? firstLine.substring(0, 160) + "..." : firstLine;
    }
}
