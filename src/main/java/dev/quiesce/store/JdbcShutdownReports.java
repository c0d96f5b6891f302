package dev.quiesce.store;

import static dev.quiesce.store.JobRows.queryString;
import static dev.quiesce.store.JobRows.update;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.quiesce.lifecycle.PhaseState;
import dev.quiesce.lifecycle.PhaseStatus;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.lifecycle.ShutdownReportStore;
import tools.jackson.databind.json.JsonMapper;

/** The shutdown reports in SQL: one JSON row per stop, through the same bounded calls as the jobs. */
final class JdbcShutdownReports implements ShutdownReportStore {

    private final StoreCalls calls;
    private final JsonMapper json;

    JdbcShutdownReports(StoreCalls calls, JsonMapper json) {
        this.calls = calls;
        this.json = json;
    }

    @Override
    public void save(ShutdownReport report, Duration wait) {
        String body = json.writeValueAsString(report);
        calls.write(tx -> update(tx.connection,
                "INSERT INTO shutdown_reports (instance, started_at, report) VALUES (?, ?, ?)", report.instance(),
                report.startedAt().toEpochMilli(), body), wait, null);
    }

    /** The report as one line of JSON, for the log. */
    String toJson(ShutdownReport report) {
        return json.writeValueAsString(report);
    }

    /**
     * Serializes a report once, off the stop's path: the first serialization builds Jackson's serializers for
     * the report's types (~15 ms on a cold JVM), which would otherwise sit between the last phase and the exit.
     */
    void warmUp() {
        json.writeValueAsString(new ShutdownReport("warm-up", true, 0, Instant.EPOCH, 0, 0, 0, 0, List.of(
                new PhaseStatus("store", PhaseState.DONE, Instant.EPOCH, Instant.EPOCH, 0L,
                        Map.of("n", 0L)))));
    }

    @Override
    public Optional<ShutdownReport> latest(String instance) {
        Optional<String> own = calls.read(connection -> queryString(connection,
                "SELECT report FROM shutdown_reports WHERE instance = ? ORDER BY started_at DESC LIMIT 1", instance));
        Optional<String> any = own.isPresent() ? own : calls.read(connection -> queryString(connection,
                "SELECT report FROM shutdown_reports ORDER BY started_at DESC LIMIT 1"));
        return any.map(text -> json.readValue(text, ShutdownReport.class));
    }
}
