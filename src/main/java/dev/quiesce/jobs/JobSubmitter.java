package dev.quiesce.jobs;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The one way in for new jobs, used by {@code POST /jobs} and by the scheduler alike. Answers only after the
 * job is committed to the store (or refused).
 */
public interface JobSubmitter {

    SubmitOutcome submit(String type, JsonNode params, Optional<String> idempotencyKey);

    /** What happened to a submission. */
    sealed interface SubmitOutcome {
    }

    /** Stored; {@code created} is false when an earlier submission with the same key and body made it. */
    record Accepted(Job job, boolean created) implements SubmitOutcome {
    }

    /** Not stored, for {@code reason}. */
    record Refused(RefusalReason reason) implements SubmitOutcome {
    }

    /** The idempotency key belongs to a job with a different body. */
    record KeyConflict(Job existing) implements SubmitOutcome {
    }
}
