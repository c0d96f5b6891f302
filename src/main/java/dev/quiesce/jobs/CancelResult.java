package dev.quiesce.jobs;

/** A cancel's outcome and the job as it then is ({@code null} when {@link CancelOutcome#NOT_FOUND}). */
public record CancelResult(CancelOutcome outcome, Job job) {
}
