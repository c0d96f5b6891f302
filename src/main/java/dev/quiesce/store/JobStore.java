package dev.quiesce.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.quiesce.jobs.CancelResult;
import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.RunOptions;

/**
 * The queue of record. Every change of a job's state is one call here, and every call that changes state
 * returns only after its change is committed. Thread-safe.
 *
 * <p>Every call waits on the database: at most {@link #timeout()}, or the shorter bound a call takes. A call
 * the store does not serve in time throws {@link StoreUnavailableException}; whether its write may still
 * commit, it says.
 */
public interface JobStore {

    /** The longest any call waits on the database unless it is given a bound of its own. */
    Duration timeout();

    /**
     * Stores a new QUEUED job, unless its idempotency key is taken or the queue is full: {@link Full} is
     * answered only on a count of the QUEUED jobs made in the database, in the same transaction. Far from the
     * capacity the check uses the count in memory; where other instances share the store, their changes enter
     * it with a count at most a second old, so together they may queue past the capacity by what they queued
     * meanwhile.
     */
    InsertResult insert(NewJob job, int queueCapacity);

    Optional<Job> find(String id);

    /** Newest first; {@code status} and {@code beforeId} may be null. */
    default List<Job> list(JobStatus status, String beforeId, int limit) {
        return list(status, null, beforeId, limit, List.of());
    }

    /**
     * Newest first: the jobs with {@code status} and, whatever their stored status, those of {@code alsoIds}
     * (jobs whose new status is decided but not yet written), of {@code type}; {@code status}, {@code type} and
     * {@code beforeId} may be null.
     */
    List<Job> list(JobStatus status, String type, String beforeId, int limit, Collection<String> alsoIds);

    /**
     * First makes SCHEDULED jobs that are due at {@code request.now()} QUEUED (each once, fleet-wide). Then looks
     * at the QUEUED jobs in claim order, highest priority first and oldest first within a priority (at most
     * {@code max(request.max(), request.scanLimit())} of them), and marks up to {@code request.max()} of them
     * RUNNING for {@code request.owner()} (attempts + 1), in that order; with {@link ClaimRequest#only()}, only jobs of those ids. A job looked at that was already started
     * {@code maxAttempts} times ends FAILED instead (poison guard). A job is claimed only while it is QUEUED:
     * one another instance took meanwhile is not started twice, it is merely not among the jobs started.
     */
    ClaimResult claim(ClaimRequest request);

    /**
     * The QUEUED jobs in the order a claim takes them (priority, then age) as they are now, at most {@code limit}, waiting on the database at most
     * {@code wait}: a read, which claims nothing (the drain reads candidates here, decides which fit, then
     * claims those with {@link ClaimRequest#only}).
     */
    List<Job> nextQueued(int limit, Duration wait);

    /**
     * Records the ends of runs, waiting at most {@code wait}; a run that no longer owns its job writes nothing
     * (fencing). Each outcome is written or refused on its own: one the database refuses holds up no other.
     */
    Recorded record(List<FinishedJob> outcomes, Duration wait);

    /** {@link #record(List, Duration)} bounded by {@link #timeout()}. */
    default Recorded record(List<FinishedJob> outcomes) {
        return record(outcomes, timeout());
    }

    /**
     * Puts jobs that {@code owner} claimed but never started back to QUEUED as if the claim had not happened:
     * {@code attempts} back down (and, for a job never started before, no start time or instance).
     *
     * @return how many were put back (a job whose claim {@code owner} no longer holds is left alone)
     */
    int release(String owner, List<Job> claimed, Duration wait);

    /** {@link #release(String, List, Duration)} bounded by {@link #timeout()}. */
    default int release(String owner, List<Job> claimed) {
        return release(owner, claimed, timeout());
    }

    CancelResult cancel(String id, Instant now);

    /**
     * A retry by hand: a FAILED or CANCELLED job goes back to QUEUED, due at once, its attempts and failures kept
     * and a fresh set of retries and of poison-guard starts counted from them; the job in the answer is the row
     * as written (or as found, when it was not retried). Waits on the database at most {@code wait}.
     */
    RetryResult retry(String id, Instant now, Duration wait);

    /**
     * One batch of a bulk change, in one short write waiting on the database at most {@code wait}: the jobs with
     * {@code status} (and {@code type}, unless null) whose id comes after {@code afterId} (null: from the first),
     * oldest first, at most {@code max} of them, each moved as {@code action} moves a job of that status. A caller
     * that wants them all calls again with {@link BulkBatch#lastId()}, and may stop between calls.
     *
     * @throws IllegalArgumentException if {@code action} does not apply to {@code status}
     */
    BulkBatch changeBatch(BulkAction action, JobStatus status, String type, String afterId, int max, Instant now,
            Duration wait);

    /**
     * At start: jobs left RUNNING by a process that died go back to QUEUED (attempts kept) or, if poison,
     * FAILED. Where one process owns the store that is every RUNNING job; in a fleet, those whose lease ran out.
     */
    int recoverAbandoned(Instant now, int maxAttempts);

    /** While running: RUNNING jobs whose owner stopped renewing their lease go back to QUEUED (or FAILED). */
    int takeOverExpiredLeases(Instant now, int maxAttempts);

    /**
     * Extends the lease of the jobs {@code owner} runs.
     *
     * @return which of them it still owns, and which of those were asked to cancel
     */
    LeaseRenewal renewLeases(String owner, Collection<String> jobIds, Instant leaseUntil);

    /** Calls {@code onNewWork} when another instance queues work (nothing where one process owns the store). */
    void onNewWork(Runnable onNewWork);

    /**
     * Deletes at most {@code max} ({@code >= 1}) finished jobs that finished before {@code cutoff}, in one
     * short write, and returns how many. Fewer than {@code max} means none are left; a caller that wants them
     * all calls again, and can stop between calls (a purge of millions must not hold a stop). Waits on the
     * database.
     */
    int purgeFinishedBefore(Instant cutoff, int max);

    /** Counts the QUEUED jobs in the database (a query: not for status views, see {@link #lastKnownQueued()}). */
    long countQueued();

    /** The number of QUEUED jobs as last learnt, and when: from memory, never waits. */
    QueuedCount lastKnownQueued();

    /** Stops writing; later writes fail with {@link StoreUnavailableException}. */
    void close(long waitMillis);

    /**
     * A job to store; {@code idempotencyKey} and {@code requestHash} (of the whole request: type, params,
     * options) are both null or both set. It is stored SCHEDULED when {@code options} make it due later, else
     * QUEUED.
     */
    record NewJob(String id, String type, String params, String idempotencyKey, String requestHash,
            Instant submittedAt, RunOptions options) {

        public NewJob {
            if ((idempotencyKey == null) != (requestHash == null)) {
                throw new IllegalArgumentException("an idempotency key and a request hash go together");
            }
        }

        /** A job due at once, with the default priority. */
        public NewJob(String id, String type, String params, String idempotencyKey, String requestHash,
                Instant submittedAt) {
            this(id, type, params, idempotencyKey, requestHash, submittedAt, RunOptions.NOW);
        }

        /** The status it is stored with. */
        public JobStatus status() {
            return options.dueAt(submittedAt) ? JobStatus.QUEUED : JobStatus.SCHEDULED;
        }
    }

    sealed interface InsertResult {
    }

    record Inserted(Job job) implements InsertResult {
    }

    /** The key was used before with the same request: that job. */
    record Existing(Job job) implements InsertResult {
    }

    /** The key was used before with another request. */
    record Conflict(Job job) implements InsertResult {
    }

    record Full(long queued) implements InsertResult {
    }

    /**
     * What to claim: {@code only}, the ids of the jobs that may be started (null: any QUEUED job), and
     * {@code bound}, the longest the call may wait (null: the store's timeout).
     */
    record ClaimRequest(int max, String owner, String instance, Instant now, Instant leaseUntil, int maxAttempts,
            int scanLimit, Set<String> only, Duration bound) {

        /** A claim of any QUEUED job, bounded by the store's timeout. */
        public ClaimRequest(int max, String owner, String instance, Instant now, Instant leaseUntil, int maxAttempts,
                int scanLimit) {
            this(max, owner, instance, now, leaseUntil, maxAttempts, scanLimit, null, null);
        }

        /** This claim, starting none but the jobs of {@code ids} (the poison guard still sees every job). */
        public ClaimRequest only(Collection<String> ids) {
            return new ClaimRequest(max, owner, instance, now, leaseUntil, maxAttempts, scanLimit, Set.copyOf(ids),
                    bound);
        }

        /** This claim, waiting on the database at most {@code wait}. */
        public ClaimRequest within(Duration wait) {
            return new ClaimRequest(max, owner, instance, now, leaseUntil, maxAttempts, scanLimit, only, wait);
        }

        /** Whether the claim may start {@code job}. */
        boolean mayStart(Job job) {
            return only == null || only.contains(job.id());
        }
    }

    record ClaimResult(List<Job> started, List<Job> poisoned) {
        public static final ClaimResult NONE = new ClaimResult(List.of(), List.of());
    }

    /**
     * What {@link #record} did with each outcome: done (written, or fenced off: {@code rows} counts the rows
     * written), refused by the database, or not written in time (the store did not answer).
     */
    record Recorded(int rows, List<FinishedJob> done, List<FinishedJob> rejected, List<FinishedJob> unwritten) {
    }

    /** A count of QUEUED jobs; {@code at} is when it was last counted in the database (null: not yet). */
    record QueuedCount(long count, Instant at) {
    }

    record LeaseRenewal(Set<String> kept, Set<String> cancelRequested) {
    }

    enum RetryOutcome {
        RETRIED, NOT_FOUND, NOT_RETRYABLE
    }

    /** What a retry by hand did; {@code job} is null when none was found. */
    record RetryResult(RetryOutcome outcome, Job job) {
    }

    /**
     * A change made to every job that matches a filter. A retry moves FAILED and CANCELLED jobs to QUEUED; a
     * cancel moves SCHEDULED and QUEUED jobs to CANCELLED at once and asks RUNNING ones to cancel (as
     * {@link #cancel} does), so that their owners stop them.
     */
    enum BulkAction {
        RETRY(Set.of(JobStatus.FAILED, JobStatus.CANCELLED)),
        CANCEL(Set.of(JobStatus.SCHEDULED, JobStatus.QUEUED, JobStatus.RUNNING));

        private final Set<JobStatus> from;

        BulkAction(Set<JobStatus> from) {
            this.from = from;
        }

        /** Whether this change applies to jobs of {@code status}. */
        public boolean applies(JobStatus status) {
            return from.contains(status);
        }

        /** The statuses it applies to, in the order jobs move through them. */
        public List<JobStatus> statuses() {
            return Arrays.stream(JobStatus.values()).filter(from::contains).toList();
        }
    }

    /** A job a bulk change looked at. */
    record Changed(String id, String type) {
    }

    /**
     * One batch of a bulk change: how many jobs matched, those it changed (fewer when some had moved on
     * meanwhile) and the last id it looked at (null: none matched, the change is complete).
     */
    record BulkBatch(int matched, List<Changed> changed, String lastId) {
    }
}
