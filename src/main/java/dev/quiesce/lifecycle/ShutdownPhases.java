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
 * while jobs drain; the store closes last, after the web server, because requests in flight still read it.
 */
public final class ShutdownPhases {

    /** Spring Boot's {@code WebServerGracefulShutdownLifecycle} phase. */
    public static final int WEB_GRACEFUL = SmartLifecycle.DEFAULT_PHASE - 1024;
    /** Marks the web phase's start (releases long polls) just before Spring Boot's graceful stop. */
    public static final int WEB = WEB_GRACEFUL + 1;
    public static final int PROCESSOR = WEB + 64;
    public static final int JOBS = PROCESSOR + 64;
    public static final int SCHEDULER = JOBS + 64;
    public static final int INTAKE = SCHEDULER + 64;
    /** Below Spring Boot's web server stop ({@code DEFAULT_PHASE - 2048}): the store outlives the web server. */
    public static final int STORE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private ShutdownPhases() {
    }
}
