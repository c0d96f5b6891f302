package dev.quiesce.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.FinishedJob;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.store.JobStore.Recorded;

/**
 * The ends of runs in SQL: each outcome is written only by the run that owns its job (fencing by owner), and
 * is a piece of its own in the group commit, so that one the database refuses holds up no other.
 */
final class Outcomes {

    private static final Logger log = LoggerFactory.getLogger(Outcomes.class);

    private static final String END = "UPDATE jobs SET status = ?, finished_at = ?, result = ?, error = ?, "
            + "failures = failures + ?, owner = NULL, lease_until = NULL WHERE id = ? AND owner = ? AND status = ?";
    /** A failed run with retries left: SCHEDULED until its backoff is over, the failure kept in {@code error}. */
    private static final String RETRY = "UPDATE jobs SET status = ?, run_at = ?, error = ?, failures = failures + 1, "
            + "owner = NULL, lease_until = NULL WHERE id = ? AND owner = ? AND status = ?";
    private static final String REQUEUE = "UPDATE jobs SET status = ?, owner = NULL, lease_until = NULL "
            + "WHERE id = ? AND owner = ? AND status = ?";

    private final StoreCalls calls;
    private final QueuedJobs queued;

    Outcomes(StoreCalls calls, QueuedJobs queued) {
        this.calls = calls;
        this.queued = queued;
    }

    /**
     * See {@link JobStore#record(List, Duration)}. All the outcomes go as one piece of the group commit, each
     * kind of update as one batch (one round trip to PostgreSQL); if the database refuses that piece, each
     * outcome is written again as a piece of its own, so that only the one refused fails.
     */
    Recorded record(List<FinishedJob> outcomes, Duration wait) {
        if (outcomes.isEmpty()) {
            return new Recorded(0, List.of(), List.of(), List.of());
        }
        long started = System.nanoTime();
        try {
            int rows = calls.write(tx -> recordAllIn(tx, outcomes), wait, null);
            return new Recorded(rows, List.copyOf(outcomes), List.of(), List.of());
        } catch (StoreUnavailableException e) {
            return new Recorded(0, List.of(), List.of(), List.copyOf(outcomes));
        } catch (RuntimeException refused) {
            log.debug("The store refused a batch of {} outcomes ({}); writing each on its own", outcomes.size(),
                    refused.toString());
            Duration left = wait.minusNanos(System.nanoTime() - started);
            if (left.isNegative() || left.isZero()) {
                return new Recorded(0, List.of(), List.of(), List.copyOf(outcomes)); // written at the next flush
            }
            return recordEach(outcomes, left);
        }
    }

    private Recorded recordEach(List<FinishedJob> outcomes, Duration wait) {
        List<StoreWriter.Work<Integer>> works = new ArrayList<>(outcomes.size());
        outcomes.forEach(outcome -> works.add(tx -> recordIn(tx, outcome)));
        List<Object> answers = calls.writeEach(works, wait);
        int rows = 0;
        List<FinishedJob> done = new ArrayList<>();
        List<FinishedJob> rejected = new ArrayList<>();
        List<FinishedJob> unwritten = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Object answer = answers.get(i);
            if (answer instanceof StoreUnavailableException) {
                unwritten.add(outcomes.get(i));
            } else if (answer instanceof RuntimeException refused) {
                log.warn("The store refused the outcome of job {}: {}", outcomes.get(i).id(), refused.getMessage());
                rejected.add(outcomes.get(i));
            } else {
                rows += (Integer) answer;
                done.add(outcomes.get(i));
            }
        }
        return new Recorded(rows, done, rejected, unwritten);
    }

    private int recordAllIn(StoreWriter.Tx tx, List<FinishedJob> outcomes) throws SQLException {
        Map<String, List<FinishedJob>> byStatement = new LinkedHashMap<>();
        for (FinishedJob outcome : outcomes) {
            PreparedStatement update = bind(tx, outcome);
            update.addBatch();
            byStatement.computeIfAbsent(sqlOf(outcome), sql -> new ArrayList<>()).add(outcome);
        }
        int rows = 0;
        for (Map.Entry<String, List<FinishedJob>> batch : byStatement.entrySet()) {
            int[] counts = tx.statement(batch.getKey()).executeBatch();
            for (int i = 0; i < counts.length; i++) {
                rows += written(tx, batch.getValue().get(i), counts[i]);
            }
        }
        return rows;
    }

    private int recordIn(StoreWriter.Tx tx, FinishedJob outcome) throws SQLException {
        return written(tx, outcome, bind(tx, outcome).executeUpdate());
    }

    private static String sqlOf(FinishedJob outcome) {
        return outcome.requeue() ? REQUEUE : outcome.retryAt() != null ? RETRY : END;
    }

    /** The transaction's statement for {@code outcome}, its parameters set. */
    private static PreparedStatement bind(StoreWriter.Tx tx, FinishedJob outcome) throws SQLException {
        PreparedStatement update = tx.statement(sqlOf(outcome));
        if (outcome.requeue()) {
            update.setString(1, JobStatus.QUEUED.name());
            update.setString(2, outcome.id());
            update.setString(3, outcome.owner());
            update.setString(4, JobStatus.RUNNING.name());
        } else if (outcome.retryAt() != null) {
            update.setString(1, JobStatus.SCHEDULED.name());
            update.setLong(2, outcome.retryAt().toEpochMilli());
            update.setString(3, outcome.error());
            update.setString(4, outcome.id());
            update.setString(5, outcome.owner());
            update.setString(6, JobStatus.RUNNING.name());
        } else {
            update.setString(1, outcome.status().name());
            update.setLong(2, outcome.finishedAt().toEpochMilli());
            update.setString(3, outcome.result());
            update.setString(4, outcome.error());
            update.setInt(5, outcome.failedRun() ? 1 : 0);
            update.setString(6, outcome.id());
            update.setString(7, outcome.owner());
            update.setString(8, JobStatus.RUNNING.name());
        }
        return update;
    }

    /** Counts what the update of {@code outcome} wrote ({@code rows} &lt; 0: the driver did not say, taken as 1). */
    private int written(StoreWriter.Tx tx, FinishedJob outcome, int rows) throws SQLException {
        if (rows == 0) {
            log.warn("Outcome of job {} not written: its run no longer owns it", outcome.id());
            return 0;
        }
        if (outcome.requeue()) {
            queued.added(tx, 1);
        }
        return Math.max(rows, 1);
    }
}
