package dev.quiesce.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.json.WritableJson;

import dev.quiesce.lifecycle.ShutdownListener;
import dev.quiesce.lifecycle.ShutdownReport;
import dev.quiesce.lifecycle.StopStory;

/**
 * Logs every stop's report as one line of JSON, whatever the store does: the report is stored only when the
 * store allows, the log line is its record in any case. In a structured log format the report is also the
 * field {@code quiesce.stop.report}, a JSON object rather than text inside the message.
 */
final class ShutdownReportLog implements ShutdownListener {

    private static final Logger log = LoggerFactory.getLogger(ShutdownReportLog.class);

    private final JdbcShutdownReports reports;

    ShutdownReportLog(JdbcShutdownReports reports) {
        this.reports = reports;
    }

    @Override
    public void finished(ShutdownReport report) {
        String json = reports.toJson(report);
        // Spring Boot's JSON writer embeds a WritableJson as it is; any other encoder gets the same JSON as text.
        StopStory.line(log, StopStory.Event.REPORT)
                .addKeyValue(StopStory.field("report"), WritableJson.of(out -> out.append(json)))
                .log("Shutdown report {}", json);
    }
}
