package dev.quiesce.jobs;

import java.time.Duration;

/** What the job machinery reports for metrics. Implementations must be cheap and thread-safe. */
public interface JobEvents {

    void submitted();

    void rejected(RefusalReason reason);

    void completed(JobStatus status, String type, Duration ranFor);

    void requeued(int count);

    /** A run of a {@code type} job failed; {@code retried}: the job waits to be tried again. */
    default void failedRun(String type, boolean retried) {
    }

    /** {@code count} FAILED or CANCELLED jobs were put back to QUEUED by an operator (one or in bulk). */
    default void retriedByHand(int count) {
    }

    JobEvents NONE = new JobEvents() {
        @Override
        public void submitted() {
        }

        @Override
        public void rejected(RefusalReason reason) {
        }

        @Override
        public void completed(JobStatus status, String type, Duration ranFor) {
        }

        @Override
        public void requeued(int count) {
        }
    };
}
