package dev.quiesce.store;

/**
 * The store could not do what was asked in time (unreachable, stalled, out of space, closed). Maps to 503.
 * {@link #unconfirmed()} tells whether the work may still have been stored: it was handed to the database,
 * whose answer did not come in time.
 */
public final class StoreUnavailableException extends RuntimeException {

    private final boolean unconfirmed;
    private final boolean storeFault;

    public StoreUnavailableException(String message) {
        this(message, null, false);
    }

    public StoreUnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    StoreUnavailableException(String message, Throwable cause, boolean unconfirmed) {
        this(message, cause, unconfirmed, true);
    }

    private StoreUnavailableException(String message, Throwable cause, boolean unconfirmed, boolean storeFault) {
        super(message, cause);
        this.unconfirmed = unconfirmed;
        this.storeFault = storeFault;
    }

    /**
     * The store works, but this call met other writers' changes it could not get past (in a fleet): worth a
     * retry, and no sign that the store is down. Nothing of the call was written.
     */
    static StoreUnavailableException conflict(String message) {
        return new StoreUnavailableException(message, null, false, false);
    }

    /** False for a {@link #conflict}: the store answered. */
    boolean storeFault() {
        return storeFault;
    }

    /** True when the work may have been (or may still be) committed; false when nothing of it was written. */
    public boolean unconfirmed() {
        return unconfirmed;
    }
}
