package dev.quiesce.jobs;

/**
 * A job's status, declared in the order a job moves through them: SCHEDULED → QUEUED when due, by itself;
 * QUEUED → RUNNING → SUCCEEDED, FAILED or CANCELLED; RUNNING → QUEUED when a stop or a lost owner puts it back;
 * QUEUED → FAILED by the poison guard; SCHEDULED or QUEUED → CANCELLED. The store makes each move in one
 * conditional SQL update, so the database, not this enum, decides a race; the store's contract test covers
 * every move.
 */
public enum JobStatus {
    SCHEDULED, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
