package dev.quiesce.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.JobSubmitter;
import dev.quiesce.jobs.JobSubmitter.Accepted;
import dev.quiesce.jobs.JobSubmitter.KeyConflict;
import dev.quiesce.jobs.JobSubmitter.Refused;
import dev.quiesce.jobs.JobSubmitter.SubmitOutcome;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.lifecycle.Waiter;
import dev.quiesce.store.JobStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fires the configured schedules through the same path as {@code POST /jobs} and does housekeeping (the
 * retention purge). {@link #tick} is one step that tests drive with a fake clock; {@link #start} runs it on
 * a thread that waits on a {@link Waiter} until the next thing is due, which {@link #stop} wakes.
 *
 * <p>Threads: a tick runs on the scheduler thread (or the test's); {@link #stop} may be called from any thread
 * and ends a tick in progress at its next check, after the firing or the purge chunk under way.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);
    /**
     * Finished jobs deleted per write of the retention purge. One chunk is one short transaction (milliseconds
     * on SQLite), so a stop asked during a purge of millions waits for one chunk, not for the whole purge, and
     * submissions queued behind the store's writer wait no longer either.
     */
    static final int PURGE_CHUNK = 1000;

    private final List<Entry> entries;
    private final JobSubmitter submitter;
    private final JobStore store;
    private final Clock clock;
    private final Duration retention;
    private final JsonMapper json;
    private final int purgeChunk;

    private final Waiter waiter;
    private Instant nextHousekeeping;
    private Thread thread;
    // Set before the waiter is woken; read between firings and purge chunks.
    private volatile boolean stopping;

    private static final class Entry {
        final Schedule schedule;
        volatile Instant nextFireAt;
        volatile Instant lastFireAt;
        volatile String lastJobId;

        Entry(Schedule schedule, Instant now) {
            this.schedule = schedule;
            this.nextFireAt = schedule.nextAfter(now);
        }
    }

    Scheduler(List<Schedule> schedules, JobSubmitter submitter, JobStore store, Clock clock, Duration retention,
            JsonMapper json) {
        this(schedules, submitter, store, clock, retention, json, PURGE_CHUNK);
    }

    /** As the service makes it, but purging {@code purgeChunk} jobs per write (tests use small chunks). */
    Scheduler(List<Schedule> schedules, JobSubmitter submitter, JobStore store, Clock clock, Duration retention,
            JsonMapper json, int purgeChunk) {
        if (purgeChunk < 1) {
            throw new IllegalArgumentException("purgeChunk must be at least 1, not " + purgeChunk);
        }
        Instant now = clock.instant();
        this.entries = schedules.stream().map(schedule -> new Entry(schedule, now)).toList();
        this.submitter = submitter;
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.json = json;
        this.purgeChunk = purgeChunk;
        this.waiter = new Waiter(clock);
        this.nextHousekeeping = now;
    }

    /**
     * Does what is due at the clock's now: fires each due schedule once (missed firings are not made up)
     * and purges old finished jobs when housekeeping is due. Once {@link #stop} was asked it fires nothing
     * more and ends the purge after the chunk under way; the rest waits for the next start.
     *
     * @return how many jobs the firings submitted
     */
    int tick() {
        Instant now = clock.instant();
        int submitted = 0;
        for (Entry entry : entries) {
            if (stopping) {
                return submitted;
            }
            Instant due = entry.nextFireAt;
            if (due.isAfter(now)) {
                continue;
            }
            submitted += fire(entry, due) ? 1 : 0;
            entry.nextFireAt = entry.schedule.nextAfter(now);
        }
        if (!nextHousekeeping.isAfter(now) && !stopping) {
            nextHousekeeping = now.plus(HOUSEKEEPING_EVERY);
            purge(now);
        }
        return submitted;
    }

    private boolean fire(Entry entry, Instant fireTime) {
        Schedule schedule = entry.schedule;
        entry.lastFireAt = fireTime;
        SubmitOutcome outcome;
        try {
            outcome = submitter.submitFiring(schedule.type(), schedule.params(), schedule.keyFor(fireTime));
        } catch (InvalidJobException | dev.quiesce.store.StoreUnavailableException e) {
            log.warn("Schedule {} could not submit its job for {}: {}", schedule.name(), fireTime, e.getMessage());
            return false;
        }
        if (outcome instanceof Accepted accepted) {
            entry.lastJobId = accepted.job().id();
            return accepted.created();
        }
        if (outcome instanceof Refused refused) {
            log.warn("Schedule {} firing at {} refused: {}", schedule.name(), fireTime, refused.reason().tag());
        } else if (outcome instanceof KeyConflict conflict) {
            log.warn("Schedule {} firing at {}: key already used by job {}", schedule.name(), fireTime,
                    conflict.existing().id());
        }
        return false;
    }

    /** Deletes old finished jobs one chunk at a time, checking between chunks whether a stop was asked. */
    private void purge(Instant now) {
        Instant cutoff = now.minus(retention);
        int purged = 0;
        try {
            int deleted;
            do {
                deleted = store.purgeFinishedBefore(cutoff, purgeChunk);
                purged += deleted;
            } while (deleted == purgeChunk && !stopping);
        } catch (RuntimeException e) {
            log.warn("Housekeeping failed after purging {} finished job(s): {}", purged, e.getMessage());
            return;
        }
        if (purged > 0) {
            log.info("Housekeeping purged {} finished job(s) older than {}{}", purged, retention,
                    stopping ? " before the stop; the rest is purged after the next start" : "");
        }
    }

    /** When the next thing is due. */
    Instant nextDue() {
        Instant next = nextHousekeeping;
        for (Entry entry : entries) {
            if (entry.nextFireAt.isBefore(next)) {
                next = entry.nextFireAt;
            }
        }
        return next;
    }

    public List<ScheduleStatus> statuses() {
        List<ScheduleStatus> out = new ArrayList<>();
        for (Entry entry : entries) {
            Schedule s = entry.schedule;
            @SuppressWarnings("unchecked")
            Map<String, Object> params = json.convertValue(s.params(), Map.class);
            out.add(new ScheduleStatus(s.name(), s.every() == null ? null : Schedule.format(s.every()), s.cron(), s.type(),
                    params, entry.nextFireAt, entry.lastFireAt, entry.lastJobId));
        }
        return out;
    }

    /** True once {@link #stop} was asked. */
    boolean isStopping() {
        return stopping;
    }

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "quiesce-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stopping) {
            Waiter.Outcome waited = waiter.awaitUntil(nextDue());
            if (waited == Waiter.Outcome.INTERRUPTED) {
                return;
            }
            // Woken: only a stop wakes the scheduler, and the loop's condition then ends it.
            if (waited == Waiter.Outcome.DUE && !stopping) {
                tick();
            }
        }
    }

    /**
     * No new firings and no new purge chunks; a tick in progress ends after the firing or the purge chunk under
     * way. Waits at most {@code max} for the scheduler thread to end.
     *
     * @return true when the scheduler thread ended in time
     */
    boolean stop(Duration max) {
        Thread loopThread;
        synchronized (this) {
            loopThread = thread;
        }
        stopping = true;
        waiter.wake();
        if (loopThread == null) {
            return true;
        }
        try {
            loopThread.join(Math.max(1, max.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !loopThread.isAlive();
    }
}
