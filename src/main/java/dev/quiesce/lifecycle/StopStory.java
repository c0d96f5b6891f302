package dev.quiesce.lifecycle;

import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The stop's story as fields as well as text. Each INFO line of the story carries SLF4J key-value pairs named
 * {@code quiesce.stop.*}: Spring Boot's structured log formats ({@code ecs}, {@code logstash}) write them as JSON
 * fields beside the message, the plain format shows the text alone. Log pipelines rely on these names (README,
 * "Logs"): change them as you would a metric's.
 */
public final class StopStory {

    /** Which line of the story, in the order they come; the field {@code quiesce.stop.event}. */
    public enum Event {
        STOP_BEGAN, PHASE_STARTED, PHASE_ENDED, STOP_FINISHED, REPORT;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private StopStory() {
    }

    /** An INFO line of the story, its event named; add fields with {@link #field}, then {@code log(...)} the text. */
    public static LoggingEventBuilder line(Logger log, Event event) {
        return log.atInfo().addKeyValue(field("event"), event.label());
    }

    /**
     * The field of a name that {@code /lifecycle} and the shutdown report use ({@code exitStatus},
     * {@code leftQueued}), in snake case as ECS names its fields: {@code quiesce.stop.exit_status}.
     */
    public static String field(String name) {
        return "quiesce.stop." + name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
