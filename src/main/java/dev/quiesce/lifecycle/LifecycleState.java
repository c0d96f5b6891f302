package dev.quiesce.lifecycle;

/** The service's lifecycle, declared in transition order. */
public enum LifecycleState {
    STARTING, RUNNING, DRAINING, STOPPED;

    /** Forward only; a start may fail straight into a stop. */
    public boolean canMoveTo(LifecycleState next) {
        return next.ordinal() > ordinal();
    }
}
