package dev.quiesce.lifecycle;

import static dev.quiesce.lifecycle.StopStory.field;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import dev.quiesce.lifecycle.StopStory.Event;

/**
 * The stop kernel: begins a stop once, owns its one {@link Deadline}, runs each {@link StopPhase} against
 * it, and knows how the stop went. Spring-free; the {@code *Lifecycle} adapters call it.
 *
 * <p>Threads: transitions are serialised by this object's lock; {@link #status()} reads an immutable snapshot
 * from a volatile field and never locks.
 */
public final class ShutdownCoordinator {

    private static final Logger log = LoggerFactory.getLogger(ShutdownCoordinator.class);

    private final Clock clock;
    private final Duration budget;
    private final String instance;
    private final JobCounter counter;
    private final List<ShutdownListener> listeners = new CopyOnWriteArrayList<>();

    private final Map<StopPhase, PhaseStatus> phases = new EnumMap<>(StopPhase.class);
    private final Map<StopPhase, PhaseResult> results = new EnumMap<>(StopPhase.class);
    private LifecycleState state = LifecycleState.STARTING;
    private Deadline deadline;
    private Instant beganAt;
    private volatile LifecycleStatus status;
    private volatile int exitStatus = ExitStatus.CUT_OFF;
    private ShutdownReport report;
    private volatile long finishedAtBegin;

    public ShutdownCoordinator(Clock clock, Duration budget, String instance, JobCounter counter) {
        this.clock = clock;
        this.budget = budget;
        this.instance = instance;
        this.counter = counter;
        for (StopPhase phase : StopPhase.values()) {
            phases.put(phase, PhaseStatus.pending(phase));
        }
        publish();
    }

    public void addListener(ShutdownListener listener) {
        listeners.add(listener);
    }

    public Duration budget() {
        return budget;
    }

    public String instance() {
        return instance;
    }

    public Clock clock() {
        return clock;
    }

    public LifecycleStatus status() {
        return status;
    }

    public LifecycleState state() {
        return status.state();
    }

    /** True until a stop begins: new work may be accepted. */
    public boolean isAcceptingWork() {
        LifecycleState now = status.state();
        return now == LifecycleState.STARTING || now == LifecycleState.RUNNING;
    }

    /** STARTING → RUNNING, once everything has started. */
    public synchronized void started() {
        if (state == LifecycleState.STARTING) {
            moveTo(LifecycleState.RUNNING);
            publish();
        }
    }

    /**
     * Begins the stop: DRAINING, and the deadline is set {@code budget} from now. Later calls do nothing.
     *
     * @return true for the call that began it
     */
    public synchronized boolean begin(String cause) {
        if (deadline != null) {
            return false;
        }
        beganAt = clock.instant();
        deadline = new Deadline(clock, beganAt.plus(budget));
        finishedAtBegin = counter.finished();
        moveTo(LifecycleState.DRAINING);
        publish();
        long queued = counter.queued();
        long running = counter.running();
        StopStory.line(log, Event.STOP_BEGAN).addKeyValue(field("cause"), cause)
                .addKeyValue(field("budgetMs"), budget.toMillis()).addKeyValue(field("queued"), queued)
                .addKeyValue(field("running"), running)
                .log("Stop began ({}): budget {}, {} queued, {} running", cause, format(budget), queued, running);
        return true;
    }

    /**
     * Jobs that ended on this instance since the stop began, whichever phase they ended in: with the counts of
     * "Stop began", what the report accounts for.
     */
    public long finishedSinceBegin() {
        return counter.finished() - finishedAtBegin;
    }

    /**
     * The stop's deadline.
     *
     * @throws IllegalStateException before a stop began
     */
    public synchronized Deadline deadline() {
        if (deadline == null) {
            throw new IllegalStateException("no stop has begun");
        }
        return deadline;
    }

    /**
     * Runs one phase against the stop's deadline, recording its start, end, state and counts. A phase that
     * throws is recorded as TIMED_OUT (it did not finish its work) and the stop goes on with the next one.
     */
    public PhaseResult runPhase(StopPhase phase, Function<Deadline, PhaseResult> work) {
        Deadline stopDeadline = phaseStarted(phase);
        PhaseResult result;
        try {
            result = work.apply(stopDeadline);
        } catch (RuntimeException e) {
            log.error("Phase {} failed: {}", phase.label(), e.toString(), e);
            result = new PhaseResult(PhaseState.TIMED_OUT, Map.of(), false);
        }
        phaseEnded(phase, result);
        return result;
    }

    /**
     * For phases whose work Spring runs between two calls (the web server): mark the start. Spring may stop
     * the context without a signal (a test, a failed start): then the first phase to start begins the stop.
     */
    public synchronized Deadline phaseStarted(StopPhase phase) {
        begin("context closing");
        Deadline stopDeadline = deadline;
        Instant now = clock.instant();
        phases.put(phase, new PhaseStatus(phase.label(), PhaseState.RUNNING, now, null, null, Map.of()));
        publish();
        Duration left = stopDeadline.remaining();
        StopStory.line(log, Event.PHASE_STARTED).addKeyValue(field("phase"), phase.label())
                .addKeyValue(field("leftMs"), left.toMillis())
                .log("Phase {} started, {} left", phase.label(), format(left));
        return stopDeadline;
    }

    /** Marks the end of a phase; if the deadline passed meanwhile, the phase is TIMED_OUT whatever it said. */
    public void phaseEnded(StopPhase phase, PhaseResult reported) {
        PhaseState finalState;
        Duration took;
        synchronized (this) {
            PhaseStatus started = phases.get(phase);
            if (started.state() != PhaseState.RUNNING) {
                return;
            }
            Instant now = clock.instant();
            finalState = reported.state() == PhaseState.DONE && now.isAfter(deadline.at()) ? PhaseState.TIMED_OUT
                    : reported.state();
            PhaseResult result = new PhaseResult(finalState, reported.counts(), reported.cutOffWork());
            results.put(phase, result);
            took = Duration.between(started.startedAt(), now);
            phases.put(phase, new PhaseStatus(phase.label(), finalState, started.startedAt(), now, took.toMillis(),
                    result.counts()));
            publish();
        }
        Duration left = deadline.remaining();
        LoggingEventBuilder line = StopStory.line(log, Event.PHASE_ENDED).addKeyValue(field("phase"), phase.label())
                .addKeyValue(field("phaseState"), finalState.name()).addKeyValue(field("durationMs"), took.toMillis())
                .addKeyValue(field("leftMs"), left.toMillis());
        reported.counts().forEach((name, value) -> line.addKeyValue(field(name), value));
        line.log("Phase {} {} in {}{}, {} left", phase.label(), finalState == PhaseState.DONE ? "done" : "TIMED OUT",
                format(took), describe(reported.counts()), format(left));
        listeners.forEach(listener -> listener.phaseEnded(phase, finalState, took));
    }

    /** Ends the stop: STOPPED, and the report of how it went. Later calls answer the same report. */
    public ShutdownReport finish() {
        ShutdownReport finished;
        synchronized (this) {
            if (report != null) {
                return report;
            }
            finished = finishNow();
            report = finished;
        }
        listeners.forEach(listener -> listener.finished(finished));
        return finished;
    }

    private ShutdownReport finishNow() {
        begin("context closing");
        Deadline stopDeadline = deadline;
        for (StopPhase phase : StopPhase.values()) {
            // A phase Spring never ran (e.g. no web server in a test) counts as nothing to do.
            PhaseStatus status = phases.get(phase);
            if (status.state() == PhaseState.RUNNING) {
                phases.put(phase, new PhaseStatus(status.name(), PhaseState.TIMED_OUT, status.startedAt(),
                        clock.instant(), Duration.between(status.startedAt(), clock.instant()).toMillis(),
                        status.counts()));
                results.put(phase, new PhaseResult(PhaseState.TIMED_OUT, status.counts(), false));
            }
        }
        boolean clean = results.values().stream()
                .allMatch(result -> result.state() == PhaseState.DONE && !result.cutOffWork())
                && !clock.instant().isAfter(stopDeadline.at());
        exitStatus = clean ? ExitStatus.CLEAN : ExitStatus.CUT_OFF;
        Duration took = Duration.between(beganAt, clock.instant());
        ShutdownReport report = new ShutdownReport(instance, clean, exitStatus, beganAt, took.toMillis(),
                count("finished"), count("requeued"), count("leftQueued"), new ArrayList<>(phases.values()));
        if (state != LifecycleState.STOPPED) {
            moveTo(LifecycleState.STOPPED);
        }
        publish();
        StopStory.line(log, Event.STOP_FINISHED).addKeyValue(field("durationMs"), report.durationMs())
                .addKeyValue(field("clean"), clean).addKeyValue(field("exitStatus"), exitStatus)
                .addKeyValue(field("drained"), report.drained()).addKeyValue(field("requeued"), report.requeued())
                .addKeyValue(field("leftQueued"), report.leftQueued())
                .log("Stop finished in {}: {}, exit status {} ({} drained, {} requeued, {} left queued)", format(took),
                        clean ? "clean" : "cut off", exitStatus, report.drained(), report.requeued(),
                        report.leftQueued());
        return report;
    }

    /** The exit status the stop earned: {@link ExitStatus#CUT_OFF} until {@link #finish()} says otherwise. */
    public int exitStatus() {
        return exitStatus;
    }

    private long count(String name) {
        return results.values().stream().mapToLong(result -> result.counts().getOrDefault(name, 0L)).sum();
    }

    private void moveTo(LifecycleState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("lifecycle cannot move from " + state + " to " + next);
        }
        state = next;
    }

    private void publish() {
        status = new LifecycleStatus(state, beganAt, deadline == null ? null : deadline.at(),
                new ArrayList<>(phases.values()));
        LifecycleStatus published = status;
        listeners.forEach(listener -> listener.changed(published));
    }

    private static String describe(Map<String, Long> counts) {
        if (counts.isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder(":");
        counts.forEach((name, value) -> text.append(' ').append(value).append(' ').append(name));
        return text.toString();
    }

    static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis < 10_000 ? String.format(java.util.Locale.ROOT, "%.2fs", millis / 1000.0)
                : String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
