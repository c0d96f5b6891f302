/**
 * The domain: a job, its status, its time-ordered ids and its outcome, cancellation with a reason and a
 * cancel's outcome, why a submission is refused, and the ports around a job ({@code JobSubmitter},
 * {@code OutcomeSink}, {@code JobEvents}); it uses none of its sub-packages and nothing of ours but
 * {@code config}.
 */
package dev.quiesce.jobs;
