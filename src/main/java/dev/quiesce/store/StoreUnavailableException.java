package dev.quiesce.store;

/**
 * The store could not do what was asked in time (unreachable, stalled, out of space, closed). Maps to 503.
 * {@link #unconfirmed()} tells whether the work may still have been stored: it was handed to the database,
 * whose answer did not come in time.
 */
public final class StoreUnavailableException extends RuntimeException {

    private final boolean unconfirmed;

    public StoreUnavailableException(String message) {
        this(message, null, false);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    StoreUnavailableException(String message, Throwable cause, boolean unconfirmed) {
        super(message, cause);
        this.unconfirmed = unconfirmed;
    }

    /** True when the work may have been (or may still be) committed; false when nothing of it was written. */
    public boolean unconfirmed() {
        return unconfirmed;
    }
}
