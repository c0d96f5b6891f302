package dev.quiesce.requests;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.OutcomeSink;
import dev.quiesce.pool.JobWatch;
import dev.quiesce.store.JobStore;

/**
 * Reads jobs as a client should see them (it never writes): the store's row with any outcome not yet written laid over it.
 * Long polls ({@link #await}) hold no thread while they wait ({@link LongPolls}); a finish told to the
 * {@link JobWatch} answers them.
 */
public final class JobQueries implements AutoCloseable {

    private final JobStore store;
    private final OutcomeSink outcomes;
    private final LongPolls polls;

    JobQueries(JobStore store, OutcomeSink outcomes, JobWatch watch) {
        this.store = store;
        this.outcomes = outcomes;
        this.polls = new LongPolls(this::find);
        watch.listen(polls::finished);
    }

    public Optional<Job> find(String id) {
        Map<String, FinishedJob> takenBefore = outcomes.pending(id).map(o -> Map.of(id, o)).orElse(Map.of());
        return store.find(id).map(job -> overlay(job, takenBefore));
    }

    /**
     * Newest first, as {@link #find} shows them; {@code status}, {@code type} and {@code beforeId} may be null.
     * The rows are
     * the store's rows with {@code status} and also those whose outcome, decided but not yet written, gives
     * them {@code status}: a caller that keeps only the jobs showing {@code status} agrees with {@link #find}
     * (rows in the order of their ids, so keyset paging on them stays exact).
     */
    public List<Job> list(JobStatus status, String type, String beforeId, int limit) {
        Collection<String> decided = status == null ? List.of() : outcomes.pendingWith(status, MAX_PENDING_LISTED);
        Map<String, FinishedJob> takenBefore = outcomes.pendingNow();
        return store.list(status, type, beforeId, limit, decided).stream().map(job -> overlay(job, takenBefore))
                .toList();
    }

    /**
     * Outcomes not yet written that a status list takes into account: a flush interval's worth, normally; more
     * only while the store is down (and then the list fails anyway).
     */
    private static final int MAX_PENDING_LISTED = 1000;

    /**
     * A long poll: answers the job as {@link #find} shows it once it finishes, once {@code max} has passed, or at
     * once when {@link #releaseWaiters()} is called, without holding the caller's thread while it waits. The
     * first read runs on the caller's thread and throws as {@link #find} does ({@code StoreUnavailableException}
     * while the store does not answer); a later read that fails completes the future with its exception. The
     * future completes at the latest one read after {@code max} (a read waits on the store at most
     * {@link #readTimeout()}).
     */
    public CompletableFuture<Optional<Job>> await(String id, Duration max) {
        return polls.await(id, max);
    }

    /** How long one read may wait on the store. */
    public Duration readTimeout() {
        return store.timeout();
    }

    /** Ends every long poll now, and those that begin later at once (the web server's graceful phase begins). */
    public void releaseWaiters() {
        polls.releaseAll();
    }

    /** Ends every long poll and the threads that answer them. */
    @Override
    public void close() {
        polls.close();
    }

    /** {@code job} as read from the store, shown as {@link #find} would show it now; no store call. */
    public Job shown(Job job) {
        return overlay(job, Map.of());
    }

    /**
     * {@code job} with its outcome not yet written, if any: the one pending now, else one in {@code takenBefore}
     * (pending when the caller began to read, and written since) that ended this run, not an earlier one.
     */
    private Job overlay(Job job, Map<String, FinishedJob> takenBefore) {
        if (job.status() != JobStatus.RUNNING) {
            return job;
        }
        FinishedJob outcome = outcomes.pending(job.id()).orElse(takenBefore.get(job.id()));
        boolean ofThisRun = outcome != null
                && (job.startedAt() == null || !outcome.finishedAt().isBefore(job.startedAt()));
        return ofThisRun ? job.withOutcome(outcome) : job;
    }
}
