package dev.quiesce.web;

/** A 400 about one named input (query parameter, header or body field). */
final class BadRequestException extends RuntimeException {

    private final String field;

    BadRequestException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
