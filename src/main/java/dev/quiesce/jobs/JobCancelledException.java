package dev.quiesce.jobs;

/** Thrown from a job's check point when its run was cancelled. */
public final class JobCancelledException extends Exception {

    private final transient CancelReason reason;

    public JobCancelledException(CancelReason reason) {
        super(reason.message(), null, false, false);
        this.reason = reason;
    }

    public CancelReason reason() {
        return reason;
    }
}
