package dev.quiesce.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.quiesce.lifecycle.ShutdownListener;
import dev.quiesce.lifecycle.ShutdownReport;

/**
 * Logs every stop's report as one line of JSON, whatever the store does: the report is stored only when the
 * store allows, the log line is its record in any case.
 */
final class ShutdownReportLog implements ShutdownListener {

    private static final Logger log = LoggerFactory.getLogger(ShutdownReportLog.class);

    private final JdbcShutdownReports reports;

    ShutdownReportLog(JdbcShutdownReports reports) {
        this.reports = reports;
    }

    @Override
    public void finished(ShutdownReport report) {
        log.info("Shutdown report {}", reports.toJson(report));
    }
}
