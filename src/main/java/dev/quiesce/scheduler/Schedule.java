package dev.quiesce.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

import org.springframework.scheduling.support.CronExpression;

import dev.quiesce.jobs.JobSubmitter;
import tools.jackson.databind.JsonNode;

/**
 * One recurring job. Fire times are the same on every instance: {@code every} fires at whole multiples of
 * the period since the epoch, {@code cron} at its expression's times in UTC.
 */
record Schedule(String name, Duration every, String cron, String type, JsonNode params) {

    /** The first fire time strictly after {@code now}. */
    Instant nextAfter(Instant now) {
        if (every != null) {
            long period = every.toMillis();
            long next = Math.floorDiv(now.toEpochMilli(), period) * period + period;
            return Instant.ofEpochMilli(next);
        }
        ZonedDateTime next = CronExpression.parse(cron).next(now.atZone(ZoneOffset.UTC));
        return next == null ? Instant.MAX : next.toInstant();
    }

    /** The idempotency key of one firing: the same on every instance, so one firing makes one job. */
    String keyFor(Instant fireTime) {
        return JobSubmitter.SCHEDULE_KEY_PREFIX + name + ":" + fireTime.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * The idempotency key of a trigger by hand at {@code time} (ISO-8601 UTC, with milliseconds):
     * {@code schedule:<name>:manual:<time>}. Apart from the firings' keys, so a trigger never takes the job of a
     * firing nor a firing the job of a trigger. Milliseconds rather than the firings' whole seconds: a trigger
     * is a request of its own, and two in the same second (two operators, a second click) each make their job;
     * one instance gives each of its triggers a later millisecond than the last, so only two instances
     * triggering in the same millisecond share a job (the second is answered with the first's).
     */
    String manualKeyFor(String time) {
        return JobSubmitter.SCHEDULE_KEY_PREFIX + name + ":manual:" + time;
    }

    /** A period as configuration spells it: {@code 30s}, {@code 5m}, {@code 250ms}. */
    static String format(Duration period) {
        long millis = period.toMillis();
        if (millis % 86_400_000 == 0) {
            return millis / 86_400_000 + "d";
        }
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
