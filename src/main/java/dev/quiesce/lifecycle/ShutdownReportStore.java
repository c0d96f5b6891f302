package dev.quiesce.lifecycle;

import java.time.Duration;
import java.util.Optional;

/** Keeps shutdown reports across restarts (implemented by the store). */
public interface ShutdownReportStore {

    /** Keeps {@code report}, waiting on the store at most {@code wait}. */
    void save(ShutdownReport report, Duration wait);

    /**
     * The newest report of {@code instance}; when it has none (the default instance id holds the process id,
     * so it is new at every start), the newest report of any instance.
     */
    Optional<ShutdownReport> latest(String instance);
}
