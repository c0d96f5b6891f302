package dev.quiesce.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.jobs.InvalidJobException;
import dev.quiesce.jobs.JobSubmitter;
import dev.quiesce.jobs.JobSubmitter.Accepted;
import dev.quiesce.jobs.JobSubmitter.KeyConflict;
import dev.quiesce.jobs.JobSubmitter.Refused;
import dev.quiesce.jobs.JobSubmitter.SubmitOutcome;
import dev.quiesce.store.JobStore;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fires the configured schedules through the same path as {@code POST /jobs} and does housekeeping (the
 * retention purge). {@link #tick} is one step that tests drive with a fake clock; {@link #start} runs it on
 * a thread that waits until the next thing is due and that {@link #stop} can wake.
 */
public final class Scheduler {

    private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
    static final Duration HOUSEKEEPING_EVERY = Duration.ofMinutes(1);

    private final List<Entry> entries;
    private final JobSubmitter submitter;
    private final JobStore store;
    private final Clock clock;
    private final Duration retention;
    private final JsonMapper json;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private Instant nextHousekeeping;
    private Thread thread;
    private boolean stopping;

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
        Instant now = clock.instant();
        this.entries = schedules.stream().map(schedule -> new Entry(schedule, now)).toList();
        this.submitter = submitter;
        this.store = store;
        this.clock = clock;
        this.retention = retention;
        this.json = json;
        this.nextHousekeeping = now;
    }

    /**
     * Does what is due at the clock's now: fires each due schedule once (missed firings are not made up)
     * and purges old finished jobs when housekeeping is due.
     *
     * @return how many jobs the firings submitted
     */
    int tick() {
        Instant now = clock.instant();
        int submitted = 0;
        for (Entry entry : entries) {
            Instant due = entry.nextFireAt;
            if (due.isAfter(now)) {
                continue;
            }
            submitted += fire(entry, due) ? 1 : 0;
            entry.nextFireAt = entry.schedule.nextAfter(now);
        }
        if (!nextHousekeeping.isAfter(now)) {
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
            outcome = submitter.submit(schedule.type(), schedule.params(), Optional.of(schedule.keyFor(fireTime)));
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

    private void purge(Instant now) {
        try {
            int purged = store.purgeFinishedBefore(now.minus(retention));
            if (purged > 0) {
                log.info("Housekeeping purged {} finished job(s) older than {}", purged, retention);
            }
        } catch (RuntimeException e) {
            log.warn("Housekeeping failed: {}", e.getMessage());
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

    synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(this::loop, "quiesce-scheduler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (true) {
            lock.lock();
            try {
                while (!stopping) {
                    long wait = Duration.between(clock.instant(), nextDue()).toNanos();
                    if (wait <= 0) {
                        break;
                    }
                    wake.await(Math.min(wait, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                }
                if (stopping) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                lock.unlock();
            }
            tick();
        }
    }

    /**
     * No new firings; a tick in progress completes (waiting at most {@code max}).
     *
     * @return true when the scheduler thread ended in time
     */
    boolean stop(Duration max) {
        Thread running;
        synchronized (this) {
            running = thread;
        }
        lock.lock();
        try {
            stopping = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
        if (running == null) {
            return true;
        }
        try {
            running.join(Math.max(1, max.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !running.isAlive();
    }
}
