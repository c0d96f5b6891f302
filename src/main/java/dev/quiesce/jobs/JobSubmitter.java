package dev.quiesce.jobs;

import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * The one way in for new jobs, used by {@code POST /jobs} and by the scheduler alike. Answers only after the
 * job is committed to the store (or refused).
 */
public interface JobSubmitter {

    /** Idempotency keys that begin with this belong to the scheduler's firings alone. */
    String SCHEDULE_KEY_PREFIX = "schedule:";

    /**
     * A client's submission.
     *
     * @throws dev.quiesce.jobs.types.InvalidJobException for an invalid job, or a key that is malformed or in
     *         the scheduler's namespace ({@link #SCHEDULE_KEY_PREFIX}): a client could otherwise take a firing's
     *         key before it fires
     */
    SubmitOutcome submit(String type, JsonNode params, SubmitOptions options, Optional<String> idempotencyKey);

    /** A client's submission without run options: at once, with the defaults. */
    default SubmitOutcome submit(String type, JsonNode params, Optional<String> idempotencyKey) {
        return submit(type, params, SubmitOptions.NONE, idempotencyKey);
    }

    /**
     * A schedule's firing, the one way in for a key in the scheduler's namespace.
     *
     * @param scheduleKey begins with {@link #SCHEDULE_KEY_PREFIX}
     * @throws dev.quiesce.jobs.types.InvalidJobException for an invalid job or a malformed key
     */
    SubmitOutcome submitFiring(String type, JsonNode params, String scheduleKey);

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
