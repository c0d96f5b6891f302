package dev.quiesce.store;

/** The store could not do what was asked (closed, unreachable, commit failed). Maps to 503. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message) {
        super(message);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
