package dev.quiesce.lifecycle;

/**
 * Starts the heartbeat once the store is open (its first beat before the web server answers), and writes its
 * last beat (STOPPED) once the stop has ended, just before the store closes, within what is left of the stop.
 */
final class HeartbeatLifecycle extends PhasedLifecycle {

    private final Heartbeat heartbeat;
    private final ShutdownCoordinator coordinator;

    HeartbeatLifecycle(Heartbeat heartbeat, ShutdownCoordinator coordinator) {
        super(ShutdownPhases.LAST_HEARTBEAT);
        this.heartbeat = heartbeat;
        this.coordinator = coordinator;
    }

    @Override
    protected void onStart() {
        heartbeat.start();
    }

    @Override
    protected void onStop() {
        heartbeat.stop(coordinator.deadline());
    }
}
