package dev.quiesce.scheduler;

import java.time.Instant;
import java.util.Map;

/** A schedule as {@code GET /schedules} shows it. */
public record ScheduleStatus(String name, String every, String cron, String type, Map<String, Object> params,
        Instant nextFireAt, Instant lastFireAt, String lastJobId) {
}
