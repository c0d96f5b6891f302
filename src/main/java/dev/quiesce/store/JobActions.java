package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.queryOne;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.BulkAction;
import dev.quiesce.store.JobStore.BulkBatch;
import dev.quiesce.store.JobStore.Changed;
import dev.quiesce.store.JobStore.RetryOutcome;
import dev.quiesce.store.JobStore.RetryResult;

/**
 * What an operator does to jobs in SQL: a retry by hand of one job, and the batches of a bulk retry or cancel
 * by filter. Every move is a conditional update on the status it was read with, so a job another instance
 * changed meanwhile is merely not changed.
 */
final class JobActions {

    /**
     * Back to QUEUED, due at once: no end time or result (it has not ended), a fresh set of retries and a fresh
     * poison count (the baselines), no cancel request left over; the last error stays until the next run ends.
     */
    private static final String RETRY = "UPDATE jobs SET status = 'QUEUED', finished_at = NULL, result = NULL, "
            + "cancel_requested = 0, run_at = CASE WHEN run_at > ? THEN ? ELSE run_at END, "
            + "retried_attempts = attempts, retried_failures = failures, owner = NULL, lease_until = NULL "
            + "WHERE id = ? AND status = ?";
    /** As {@code DELETE /jobs/{id}} does to a QUEUED or SCHEDULED job. */
    private static final String CANCEL = "UPDATE jobs SET status = 'CANCELLED', finished_at = ?, error = ? "
            + "WHERE id = ? AND status = ?";
    /** As {@code DELETE /jobs/{id}} does to a RUNNING job: its owner stops it when it renews its lease. */
    private static final String REQUEST_CANCEL = "UPDATE jobs SET cancel_requested = 1 "
            + "WHERE id = ? AND status = ? AND cancel_requested = 0";
    static final String CANCELLED_BY_REQUEST = "cancelled by request";

    private final StoreCalls calls;
    private final QueuedJobs queued;

    JobActions(StoreCalls calls, QueuedJobs queued) {
        this.calls = calls;
        this.queued = queued;
    }

    /** See {@link JobStore#retry}. */
    RetryResult retry(String id, Instant now, Duration wait) {
        return calls.write(tx -> {
            for (int look = 0; look < 3; look++) {
                Optional<Job> found = queryOne(tx.connection, SELECT + " WHERE id = ?", id);
                if (found.isEmpty()) {
                    return new RetryResult(RetryOutcome.NOT_FOUND, null);
                }
                Job job = found.get();
                if (!BulkAction.RETRY.applies(job.status())) {
                    return new RetryResult(RetryOutcome.NOT_RETRYABLE, job);
                }
                if (retryOne(tx.statement(RETRY), id, job.status(), now) == 1) {
                    queued.added(tx, 1);
                    return new RetryResult(RetryOutcome.RETRIED,
                            queryOne(tx.connection, SELECT + " WHERE id = ?", id).orElseThrow());
                }
            }
            throw StoreUnavailableException.conflict("job " + id + " changed under three attempts to retry it");
        }, wait, null);
    }

    private static int retryOne(PreparedStatement retry, String id, JobStatus status, Instant now)
            throws SQLException {
        retry.setLong(1, now.toEpochMilli());
        retry.setLong(2, now.toEpochMilli());
        retry.setString(3, id);
        retry.setString(4, status.name());
        return retry.executeUpdate();
    }

    /** See {@link JobStore#changeBatch}. */
    BulkBatch changeBatch(BulkAction action, JobStatus status, String type, String afterId, int max, Instant now,
            Duration wait) {
        if (!action.applies(status)) {
            throw new IllegalArgumentException(action + " does not apply to " + status + " jobs");
        }
        return calls.write(tx -> {
            StringBuilder sql = new StringBuilder("SELECT id, type FROM jobs WHERE status = ?");
            List<String> args = new ArrayList<>(List.of(status.name()));
            if (type != null) {
                sql.append(" AND type = ?");
                args.add(type);
            }
            if (afterId != null) {
                sql.append(" AND id > ?");
                args.add(afterId);
            }
            sql.append(" ORDER BY id LIMIT ?");
            List<Changed> matched = new ArrayList<>();
            try (PreparedStatement select = tx.connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    select.setString(i + 1, args.get(i));
                }
                select.setInt(args.size() + 1, max);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        matched.add(new Changed(rows.getString(1), rows.getString(2)));
                    }
                }
            }
            if (matched.isEmpty()) {
                return new BulkBatch(0, List.of(), null);
            }
            PreparedStatement update = tx.statement(switch (action) {
                case RETRY -> RETRY;
                case CANCEL -> status == JobStatus.RUNNING ? REQUEST_CANCEL : CANCEL;
            });
            for (Changed job : matched) {
                switch (action) {
                    case RETRY -> {
                        update.setLong(1, now.toEpochMilli());
                        update.setLong(2, now.toEpochMilli());
                        update.setString(3, job.id());
                        update.setString(4, status.name());
                    }
                    case CANCEL -> {
                        int at = 1;
                        if (status != JobStatus.RUNNING) {
                            update.setLong(at++, now.toEpochMilli());
                            update.setString(at++, CANCELLED_BY_REQUEST);
                        }
                        update.setString(at++, job.id());
                        update.setString(at, status.name());
                    }
                }
                update.addBatch();
            }
            int[] counts = update.executeBatch();
            List<Changed> changed = new ArrayList<>(matched.size());
            for (int i = 0; i < counts.length; i++) {
                // A driver may answer SUCCESS_NO_INFO (-2) for a row it changed; only 0 means the row had moved on.
                if (counts[i] != 0) {
                    changed.add(matched.get(i));
                }
            }
            if (action == BulkAction.RETRY) {
                queued.added(tx, changed.size());
            } else if (status == JobStatus.QUEUED) {
                queued.removed(tx, changed.size());
            }
            return new BulkBatch(matched.size(), changed, matched.get(matched.size() - 1).id());
        }, wait, null);
    }
}
