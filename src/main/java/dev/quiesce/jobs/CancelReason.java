package dev.quiesce.jobs;

/**
 * Why a run was cancelled. {@link Kind#SHUTDOWN} sends the job back to QUEUED; every other kind ends the run
 * (CANCELLED for a request; a failure for a sibling's failure in a fanout or a timeout).
 */
public record CancelReason(Kind kind, String message) {

    public enum Kind {
        /** {@code DELETE /jobs/{id}}. */
        REQUESTED,
        /** A fanout sibling failed first; {@code message} is its error. */
        SIBLING_FAILED,
        /** The shutdown deadline came; the job is requeued. */
        SHUTDOWN,
        /** This instance no longer holds the job (its lease ran out and another instance took it over). */
        LEASE_LOST,
        /** The run outlived its timeout: a failure, tried again if the job has retries left. */
        TIMEOUT
    }

    public static final CancelReason REQUESTED = new CancelReason(Kind.REQUESTED, "cancelled by request");
    public static final CancelReason SHUTDOWN_DEADLINE = new CancelReason(Kind.SHUTDOWN, "shutdown deadline");
    public static final CancelReason TIMEOUT = new CancelReason(Kind.TIMEOUT, "timeout");
    public static final CancelReason LEASE_LOST = new CancelReason(Kind.LEASE_LOST, "lease lost to another instance");

    public static CancelReason siblingFailed(String error) {
        return new CancelReason(Kind.SIBLING_FAILED, error);
    }
}
