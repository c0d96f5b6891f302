package dev.quiesce.lifecycle;

import java.util.Optional;

/** Keeps shutdown reports across restarts (implemented by the store). */
public interface ShutdownReportStore {

    void save(ShutdownReport report);

    /**
     * The newest report of {@code instance}; when it has none (the default instance id holds the process id,
     * so it is new at every start), the newest report of any instance.
     */
    Optional<ShutdownReport> latest(String instance);
}
