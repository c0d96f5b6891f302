package dev.quiesce.jobs;

/** Thrown by a job to end FAILED with {@code getMessage()} as its error. */
public class JobFailedException extends Exception {

    public JobFailedException(String message) {
        super(message, null, false, false);
    }
}
