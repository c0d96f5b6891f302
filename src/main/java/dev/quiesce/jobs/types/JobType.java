package dev.quiesce.jobs.types;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A kind of job. <b>The extension point</b>: declare one bean implementing this interface and
 * {@code POST /jobs} accepts {@code {"type": name(), "params": {...}}}.
 *
 * <p>{@code params} are read from JSON into {@link #paramsType()} strictly (unknown fields, wrong types and
 * missing values are 400s) and then checked with Jakarta Bean Validation annotations on that type, plus
 * {@link #check} for rules annotations cannot say.
 *
 * <p>{@link #run} is called on a worker thread. It must return promptly once
 * {@link JobContext#checkCancelled()} throws or {@link JobContext#sleep} returns early: a stop's deadline
 * cancels runs and requeues them. The returned object is stored as the job's JSON {@code result}.
 *
 * @param <P> the params record
 */
public interface JobType<P> {

    /** The {@code type} name in requests, e.g. {@code "sleep"}. */
    String name();

    Class<P> paramsType();

    Object run(P params, JobContext context) throws Exception;

    /** Extra validation; each problem names its field relative to {@code params}. */
    default List<FieldProblem> check(P params, JobTypes types) {
        return List.of();
    }

    /** How long a run will take when known from the params (drives the drain admission rule). */
    default Optional<Duration> expectedDuration(P params) {
        return Optional.empty();
    }

    /**
     * How long a run of this type may take unless its job says ({@code timeoutMs}): past it the run is
     * cancelled with the reason "timeout" and counts as a failure. None by default.
     */
    default Optional<Duration> defaultTimeout() {
        return Optional.empty();
    }
}
