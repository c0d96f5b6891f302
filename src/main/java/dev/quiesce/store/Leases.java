package dev.quiesce.store;

import static dev.quiesce.store.JobRows.SELECT;
import static dev.quiesce.store.JobRows.query;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.LeaseRenewal;

/**
 * Leases and recovery in SQL: a run holds its RUNNING job by a lease that its owner renews; jobs whose lease
 * ran out (in a fleet), or every job a stopped process left RUNNING (where one process owns the store), go
 * back to QUEUED with their attempts kept, or end FAILED where the {@link PoisonGuard} says so.
 */
final class Leases {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    private static final String REQUEUE = "UPDATE jobs SET status = ?, owner = NULL, lease_until = NULL "
            + "WHERE id = ? AND status = ?";

    private final StoreCalls calls;
    private final QueuedJobs queued;
    private final SqlDialect dialect;

    Leases(StoreCalls calls, QueuedJobs queued, SqlDialect dialect) {
        this.calls = calls;
        this.queued = queued;
        this.dialect = dialect;
    }

    /** See {@link JobStore#recoverAbandoned}. */
    int recoverAbandoned(Instant now, int maxAttempts) {
        return requeueRunning(now, maxAttempts, dialect.singleInstance());
    }

    /** See {@link JobStore#takeOverExpiredLeases}. */
    int takeOverExpiredLeases(Instant now, int maxAttempts) {
        return requeueRunning(now, maxAttempts, false);
    }

    /**
     * Puts RUNNING jobs back: all of them, or those whose lease ran out by {@code now}. The rows are read and
     * locked first (other instances taking over at once skip them), then each is failed as poison or requeued.
     */
    private int requeueRunning(Instant now, int maxAttempts, boolean all) {
        return calls.write(tx -> {
            List<Job> abandoned = all
                    ? query(tx.connection, SELECT + " WHERE status = ? ORDER BY id" + dialect.lockClause(),
                            JobStatus.RUNNING.name())
                    : query(tx.connection, SELECT + " WHERE status = ? AND lease_until < ? ORDER BY id"
                            + dialect.lockClause(), JobStatus.RUNNING.name(), now.toEpochMilli());
            int poisoned = 0;
            int requeued = 0;
            for (Job job : abandoned) {
                if (PoisonGuard.failIfPoison(tx, job, maxAttempts, now).isPresent()) {
                    poisoned++;
                } else {
                    PreparedStatement requeue = tx.statement(REQUEUE);
                    requeue.setString(1, JobStatus.QUEUED.name());
                    requeue.setString(2, job.id());
                    requeue.setString(3, JobStatus.RUNNING.name());
                    requeued += requeue.executeUpdate();
                }
            }
            if (poisoned + requeued > 0) {
                log.info("Took over jobs left running by {}: {} requeued, {} failed as poison",
                        all ? "a stopped process" : "instances whose lease ran out", requeued, poisoned);
            }
            queued.added(tx, requeued);
            return requeued + poisoned;
        });
    }

    /** See {@link JobStore#renewLeases}. */
    LeaseRenewal renew(String owner, Collection<String> jobIds, Instant leaseUntil) {
        if (jobIds.isEmpty()) {
            return new LeaseRenewal(Set.of(), Set.of());
        }
        return calls.write(tx -> {
            Set<String> kept = new HashSet<>();
            Set<String> cancel = new HashSet<>();
            try (PreparedStatement renew = tx.connection.prepareStatement("UPDATE jobs SET lease_until = ? "
                    + "WHERE id = ? AND owner = ? AND status = ?");
                    PreparedStatement check = tx.connection.prepareStatement(
                            "SELECT cancel_requested FROM jobs WHERE id = ?")) {
                for (String id : jobIds) {
                    renew.setLong(1, leaseUntil.toEpochMilli());
                    renew.setString(2, id);
                    renew.setString(3, owner);
                    renew.setString(4, JobStatus.RUNNING.name());
                    if (renew.executeUpdate() == 0) {
                        continue;
                    }
                    kept.add(id);
                    check.setString(1, id);
                    try (ResultSet row = check.executeQuery()) {
                        if (row.next() && row.getInt(1) != 0) {
                            cancel.add(id);
                        }
                    }
                }
            }
            return new LeaseRenewal(kept, cancel);
        });
    }
}
