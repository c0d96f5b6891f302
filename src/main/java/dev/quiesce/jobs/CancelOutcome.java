package dev.quiesce.jobs;

/** What a client's cancel of a job did; the store decides it in one write. */
public enum CancelOutcome {
    NOT_FOUND,
    /** It was QUEUED and is now CANCELLED. */
    CANCELLED,
    /** It is RUNNING; its owner was asked to cancel it. */
    REQUESTED,
    ALREADY_FINISHED
}
