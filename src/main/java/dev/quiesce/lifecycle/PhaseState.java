package dev.quiesce.lifecycle;

/** Where one stop phase is. */
public enum PhaseState {
    PENDING, RUNNING, DONE, TIMED_OUT;

    public boolean isEnded() {
        return this == DONE || this == TIMED_OUT;
    }
}
