package dev.quiesce.scheduler;

import java.time.Instant;
import java.util.Map;

/**
 * A schedule as {@code GET /schedules} shows it. {@code nextFireAt} is when it is next due, paused or not (a
 * paused schedule skips that firing); {@code paused} is fleet-wide, as this instance last read or changed it.
 */
public record ScheduleStatus(String name, String every, String cron, String type, Map<String, Object> params,
        Instant nextFireAt, Instant lastFireAt, String lastJobId, boolean paused) {
}
