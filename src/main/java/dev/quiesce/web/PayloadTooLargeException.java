package dev.quiesce.web;

/** The request body is over the limit; answered 413 without reading the rest. */
final class PayloadTooLargeException extends RuntimeException {

    PayloadTooLargeException(long limit) {
        super("the request body is larger than " + limit + " bytes", null, false, false);
    }
}
