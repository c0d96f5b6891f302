package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Turns SIGTERM and SIGINT into a staged stop and makes the exit status tell how it went.
 *
 * <p>Left alone, the JVM answers SIGTERM by running its shutdown hooks and exiting 143, and
 * {@code System.exit} inside a hook blocks forever. So once the service is ready we handle both signals
 * ourselves: a signal starts a thread that closes the context (every stop phase runs), and when the closing
 * thread is done - whoever closed it: a signal, {@code POST /actuator/shutdown}, or a JVM hook - an exit
 * thread calls {@code System.exit} with the coordinator's status (0 clean, 75 cut off). Before the service is
 * ready, the JVM's own handling stays in place and a failed start exits 1 from {@code main}.
 *
 * <p>Behind every bound of the stop stands a last resort: once a stop has begun, a watchdog thread ends the
 * process {@link #LAST_RESORT_MARGIN} after the deadline, with status 75 and the report logged, whatever still
 * holds it (a database call that ignores its timeouts, a stuck shutdown hook).
 */
final class StopSignals {

    private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

    /** How long after the deadline the last resort ends the process: the contract allows one second. */
    static final Duration LAST_RESORT_MARGIN = Duration.ofMillis(500);
    /** How long past the deadline the exit waits for what Spring closes after the last phase. */
    static final Duration CLOSE_GRACE = Duration.ofMillis(200);
    /** How long the last resort waits for the report before it ends the process anyway. */
    private static final Duration REPORT_WAIT = Duration.ofMillis(200);

    private final ConfigurableApplicationContext context;
    private final ShutdownCoordinator coordinator;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicBoolean exiting = new AtomicBoolean();
    private volatile String cause = "context closed";

    StopSignals(ConfigurableApplicationContext context, ShutdownCoordinator coordinator) {
        this.context = context;
        this.coordinator = coordinator;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        coordinator.started();
        handle("TERM");
        handle("INT");
        armed.set(true);
    }

    private void handle(String signal) {
        try {
            Signal.handle(new Signal(signal), this::onSignal);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            log.warn("Cannot handle SIG{} ({}); the JVM's default applies", signal, e.getMessage());
        }
    }

    private void onSignal(Signal signal) {
        if (!stopping.compareAndSet(false, true)) {
            log.info("SIG{} received again; the stop is already under way", signal.getName());
            return;
        }
        cause = "SIG" + signal.getName();
        Thread stopper = new Thread(context::close, "quiesce-stop");
        stopper.setDaemon(false); // signal handler threads are daemons; this one must keep the JVM up
        stopper.start();
    }

    @EventListener
    void onClosed(ContextClosedEvent event) {
        if (event.getApplicationContext() != context) {
            return;
        }
        coordinator.begin(cause);
        if (armed.get() && exiting.compareAndSet(false, true)) {
            long deadlineNanos = System.nanoTime() + coordinator.budget().toNanos();
            Thread watchdog = new Thread(() -> lastResort(deadlineNanos), "quiesce-stop-watchdog");
            watchdog.setDaemon(true); // must never keep the JVM up by itself
            watchdog.start();
            Thread closer = Thread.currentThread();
            Thread exit = new Thread(() -> exitAfter(closer, deadlineNanos), "quiesce-exit");
            exit.setDaemon(false); // else the JVM may exit 0 by itself once the last non-daemon thread ends
            exit.start();
        }
    }

    /**
     * Exits once the context is closed. What Spring closes after the stop's last phase (the connection pool
     * above all) may hang on a database that does not answer: once the deadline plus {@link #CLOSE_GRACE} has
     * passed, the process exits with the status the stop earned without waiting for it.
     */
    private void exitAfter(Thread closer, long deadlineNanos) {
        try {
            closer.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(
                    deadlineNanos + CLOSE_GRACE.toNanos() - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (closer.isAlive()) {
            log.warn("The context is still closing {} after the deadline (still running: {}); exiting without "
                    + "waiting", ShutdownCoordinator.format(CLOSE_GRACE), holding());
            haltReported(); // System.exit would wait for Spring's hook, which waits for the close
        }
        int status = coordinator.exitStatus();
        log.debug("Context closed; exiting with status {}", status);
        if (jvmIsShuttingDown()) {
            Runtime.getRuntime().halt(status); // System.exit would block: the hooks are already running
        }
        System.exit(status);
    }

    /** Waits until the deadline plus the margin, then ends the process whatever still runs. */
    private void lastResort(long deadlineNanos) {
        long wait = deadlineNanos + LAST_RESORT_MARGIN.toNanos() - System.nanoTime();
        try {
            // One bounded wait, not a loop: if the process is still here when it ends, the stop overran.
            TimeUnit.NANOSECONDS.sleep(Math.max(0, wait));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        log.warn("Stop overran its budget of {} by {}: ending the process now (still running: {})",
                ShutdownCoordinator.format(coordinator.budget()), ShutdownCoordinator.format(LAST_RESORT_MARGIN),
                holding());
        haltReported();
    }

    /** The phases still running, or "the exit" when every phase is over. */
    private String holding() {
        List<String> running = coordinator.status().phases().stream()
                .filter(phase -> phase.state() == PhaseState.RUNNING).map(PhaseStatus::name).toList();
        return running.isEmpty() ? "the exit" : String.join(", ", running);
    }

    /**
     * Ends the process now, the report logged first (it is logged in any case): the stop's own status if it
     * had finished, else 75 (a phase ran out of time). The report is made on a thread of its own and awaited
     * only {@link #REPORT_WAIT}, so that nothing can hold the end.
     */
    private void haltReported() {
        boolean finishedBefore = coordinator.status().state() == LifecycleState.STOPPED;
        Thread report = new Thread(coordinator::finish, "quiesce-stop-report");
        report.setDaemon(true);
        report.start();
        try {
            report.join(REPORT_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().halt(finishedBefore ? coordinator.exitStatus() : ExitStatus.CUT_OFF);
    }

    private static boolean jvmIsShuttingDown() {
        try {
            Thread probe = new Thread(() -> { });
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
