package dev.quiesce.lifecycle;

import org.springframework.context.SmartLifecycle;

/**
 * The one place that orders the stop. Spring stops {@link SmartLifecycle} beans from the highest phase to
 * the lowest (and starts them the other way round), so each constant is defined relative to the next.
 *
 * <p>Why this order: intake closes first so nothing new arrives; the scheduler stops before the pool so it
 * adds no work to a draining pool; the pool drains before the processor so the processor's last flush holds
 * every outcome; all of that happens <em>above</em> Spring Boot's graceful web phase
 * ({@code SmartLifecycle.DEFAULT_PHASE - 1024}) so that {@code /lifecycle} and long polls are still served
 * while jobs drain; the stop ends (its report made and kept) once the web server has stopped, the last
 * heartbeat (STOPPED) follows the report, and the store closes last, because requests in flight still read it
 * and the report and the heartbeat are kept in it.
 */
public final class ShutdownPhases {

    /** Spring Boot's {@code WebServerStartStopLifecycle} phase: the web server stops here. */
    public static final int WEB_SERVER = SmartLifecycle.DEFAULT_PHASE - 2048;
    /** Spring Boot's {@code WebServerGracefulShutdownLifecycle} phase. */
    public static final int WEB_GRACEFUL = SmartLifecycle.DEFAULT_PHASE - 1024;
    /** Marks the web phase's start (releases long polls) just before Spring Boot's graceful stop. */
    public static final int WEB = WEB_GRACEFUL + 1;
    /** Marks the web phase's end, once the web server has stopped. */
    public static final int WEB_ENDED = WEB_SERVER - 1;
    public static final int PROCESSOR = WEB + 64;
    public static final int JOBS = PROCESSOR + 64;
    public static final int SCHEDULER = JOBS + 64;
    public static final int INTAKE = SCHEDULER + 64;
    /** Far below the web server's stop: the store outlives the web server and the stop's end. */
    public static final int STORE = SmartLifecycle.DEFAULT_PHASE - 4096;
    /** The instance's last heartbeat (STOPPED), once the stop has ended, while the store is still open. */
    public static final int LAST_HEARTBEAT = STORE + 1;
    /** Ends the stop: its last phase, its report made and kept, just before the store closes. */
    public static final int STOP_END = LAST_HEARTBEAT + 1;

    private ShutdownPhases() {
    }
}
