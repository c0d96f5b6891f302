package dev.quiesce.scheduler;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
import dev.quiesce.store.SchedulePauses;
import dev.quiesce.store.StoreUnavailableException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fires the configured schedules through the same path as {@code POST /jobs} and does housekeeping (the
 * retention purge). {@link #tick} is one step that tests drive with a fake clock; {@link #start} runs it on
 * a thread that waits on a {@link Waiter} until the next thing is due, which {@link #stop} wakes.
 *
 * <p>Pauses are kept in the store ({@link SchedulePauses}) for the whole fleet. Each tick first reads the paused
 * set (one small read, bounded by the store's timeout), and a tick runs at least every
 * {@link #PAUSES_REFRESH_EVERY}: a firing is skipped on every instance when its schedule was paused anywhere
 * before that firing's tick began, and {@link #statuses()} shows a pause made on another instance within
 * {@link #PAUSES_REFRESH_EVERY}. A pause or resume made on this instance shows at once.
 *
 * <p>Threads: a tick runs on the scheduler thread (or the test's); {@link #stop} may be called from any thread
 * and ends a tick in progress at its next check, after the firing or the purge chunk under way.
 * {@link #pause}, {@link #resume} and {@link #trigger} run on request threads; {@link #statuses()} reads
 * immutable snapshots and never waits.
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
    /**
     * The longest the scheduler goes without reading the paused set: how stale {@code paused} in
     * {@code GET /schedules} may be for a pause made on another instance. Firings read it afresh anyway.
     */
    static final Duration PAUSES_REFRESH_EVERY = Duration.ofSeconds(5);
    /** A manual trigger's time in its key: milliseconds, always three digits (see {@link Schedule#manualKeyFor}). */
    private static final DateTimeFormatter MANUAL_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final List<Entry> entries;
    private final JobSubmitter submitter;
    private final JobStore store;
    private final SchedulePauses pauses;
    private final Clock clock;
    private final Duration retention;
    private final JsonMapper json;
    private final int purgeChunk;

    private final Waiter waiter;
    private Instant nextHousekeeping;
    private Instant nextPausesRefresh;
    /** The paused schedules' names as last read or changed here; immutable, replaced whole. */
    private volatile Set<String> paused = Set.of();
    /** Guards {@link #localPauseChanges} and the publication of {@link #paused}. */
    private final Object pauseLock = new Object();
    /** Pauses and resumes made here: a store read begun before one of them must not overwrite it. */
    private long localPauseChanges;
    /** Whether the last read of the paused set failed (logged once per failing spell). */
    private boolean pausesUnread;
    /** The last manual trigger's time (epoch millis): each trigger here gets a later one, so a key of its own. */
    private long lastTriggerMillis = Long.MIN_VALUE;
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

    Scheduler(List<Schedule> schedules, JobSubmitter submitter, JobStore store, SchedulePauses pauses, Clock clock,
            Duration retention, JsonMapper json) {
        this(schedules, submitter, store, pauses, clock, retention, json, PURGE_CHUNK);
    }

    /** As the service makes it, but purging {@code purgeChunk} jobs per write (tests use small chunks). */
    Scheduler(List<Schedule> schedules, JobSubmitter submitter, JobStore store, SchedulePauses pauses, Clock clock,
            Duration retention, JsonMapper json, int purgeChunk) {
        if (purgeChunk < 1) {
            throw new IllegalArgumentException("purgeChunk must be at least 1, not " + purgeChunk);
        }
        Instant now = clock.instant();
        this.entries = schedules.stream().map(schedule -> new Entry(schedule, now)).toList();
        this.submitter = submitter;
        this.store = store;
        this.pauses = pauses;
        this.clock = clock;
        this.retention = retention;
        this.json = json;
        this.purgeChunk = purgeChunk;
        this.waiter = new Waiter(clock);
        this.nextHousekeeping = now;
        this.nextPausesRefresh = now;
    }

    /**
     * Does what is due at the clock's now: reads the paused set, fires each due schedule that is not paused
     * once (missed firings are not made up, a paused schedule's are skipped for good) and purges old finished
     * jobs when housekeeping is due. Once {@link #stop} was asked it fires nothing
     * more and ends the purge after the chunk under way; the rest waits for the next start.
     *
     * @return how many jobs the firings submitted
     */
    int tick() {
        Instant now = clock.instant();
        int submitted = 0;
        if (!entries.isEmpty()) { // with no schedule, nothing to pause and no read every few seconds
            refreshPauses();
            nextPausesRefresh = now.plus(PAUSES_REFRESH_EVERY);
        }
        Set<String> pausedNow = paused;
        for (Entry entry : entries) {
            if (stopping) {
                return submitted;
            }
            Instant due = entry.nextFireAt;
            if (due.isAfter(now)) {
                continue;
            }
            if (pausedNow.contains(entry.schedule.name())) {
                log.debug("Schedule {} is paused: its firing at {} is skipped", entry.schedule.name(), due);
            } else {
                submitted += fire(entry, due) ? 1 : 0;
            }
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
        } catch (InvalidJobException | StoreUnavailableException e) {
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

    /**
     * Reads the paused set from the store, waiting at most the store's timeout; when the store does not answer,
     * the last set read stays in force (and the firings' own submissions are likely to fail alike).
     *
     * @return whether the store answered
     */
    boolean refreshPauses() {
        long changesBefore;
        synchronized (pauseLock) {
            changesBefore = localPauseChanges;
        }
        Set<String> read;
        try {
            read = pauses.paused();
        } catch (StoreUnavailableException e) {
            if (!pausesUnread) {
                log.warn("Could not read the paused schedules ({}); the last known stay in force", e.getMessage());
            }
            pausesUnread = true;
            return false;
        }
        if (pausesUnread) {
            log.info("Read the paused schedules again: {}", read.isEmpty() ? "none" : read);
        }
        pausesUnread = false;
        synchronized (pauseLock) {
            // A pause or resume made here while the read was under way is newer than the read: keep it, and let
            // the next tick read again.
            if (changesBefore == localPauseChanges) {
                paused = read;
            }
        }
        return true;
    }

    /**
     * Pauses the schedule fleet-wide: stored first (waiting at most the store's timeout), then in force here at
     * once, on the other instances from their next tick. Pausing a paused schedule changes nothing.
     *
     * @return its status, or empty when no schedule has that name
     * @throws StoreUnavailableException when the store did not confirm the pause (it may still be written)
     */
    public Optional<ScheduleStatus> pause(String name) {
        return changePause(name, true);
    }

    /**
     * Resumes the schedule fleet-wide, as {@link #pause} pauses it: its next firing is the next one due, missed
     * ones are not made up. Resuming a schedule that is not paused changes nothing.
     *
     * @return its status, or empty when no schedule has that name
     * @throws StoreUnavailableException when the store did not confirm the resume (it may still be written)
     */
    public Optional<ScheduleStatus> resume(String name) {
        return changePause(name, false);
    }

    private Optional<ScheduleStatus> changePause(String name, boolean pause) {
        Optional<Entry> found = entry(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if (pause) {
            pauses.pause(name, clock.instant());
        } else {
            pauses.resume(name);
        }
        synchronized (pauseLock) {
            localPauseChanges++;
            Set<String> changed = new HashSet<>(paused);
            if (pause) {
                changed.add(name);
            } else {
                changed.remove(name);
            }
            paused = Set.copyOf(changed);
        }
        log.info("Schedule {} {} (fleet-wide)", name, pause ? "paused" : "resumed");
        return Optional.of(status(found.get()));
    }

    /**
     * Submits one job of the schedule now, through the same path as a firing, with the key
     * {@code schedule:<name>:manual:<time>}; a paused schedule can be triggered too. Refused as
     * {@code POST /jobs} is while the service stops or when the queue is full. The trigger's job is not the
     * schedule's {@code lastJobId}: that one stays the last firing's.
     *
     * @return what the submission did, or empty when no schedule has that name
     * @throws StoreUnavailableException when the store did not confirm the job
     */
    public Optional<SubmitOutcome> trigger(String name) {
        Optional<Entry> found = entry(name);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Schedule schedule = found.get().schedule;
        SubmitOutcome outcome = submitter.submitFiring(schedule.type(), schedule.params(),
                schedule.manualKeyFor(MANUAL_TIME.format(Instant.ofEpochMilli(nextTriggerMillis()))));
        if (outcome instanceof Accepted accepted) {
            log.info("Schedule {} triggered by hand: job {}", name, accepted.job().id());
        }
        return Optional.of(outcome);
    }

    /** The clock's millisecond, or one past the last trigger's when the clock has not moved on since. */
    private synchronized long nextTriggerMillis() {
        lastTriggerMillis = Math.max(clock.millis(), lastTriggerMillis + 1);
        return lastTriggerMillis;
    }

    private Optional<Entry> entry(String name) {
        return entries.stream().filter(entry -> entry.schedule.name().equals(name)).findFirst();
    }

    /** When the next thing is due. */
    Instant nextDue() {
        Instant next = !entries.isEmpty() && nextPausesRefresh.isBefore(nextHousekeeping) ? nextPausesRefresh
                : nextHousekeeping;
        for (Entry entry : entries) {
            if (entry.nextFireAt.isBefore(next)) {
                next = entry.nextFireAt;
            }
        }
        return next;
    }

    /** Every schedule as {@code GET /schedules} shows it, from memory: no store call. */
    public List<ScheduleStatus> statuses() {
        List<ScheduleStatus> out = new ArrayList<>();
        for (Entry entry : entries) {
            out.add(status(entry));
        }
        return out;
    }

    private ScheduleStatus status(Entry entry) {
        Schedule s = entry.schedule;
        @SuppressWarnings("unchecked")
        Map<String, Object> params = json.convertValue(s.params(), Map.class);
        return new ScheduleStatus(s.name(), s.every() == null ? null : Schedule.format(s.every()), s.cron(), s.type(),
                params, entry.nextFireAt, entry.lastFireAt, entry.lastJobId, paused.contains(s.name()));
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
