package dev.quiesce.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.quiesce.lifecycle.LifecycleView;

/**
 * The last stop, published at the next start: what a stop records in its own last milliseconds is rarely
 * scraped, so alerting on an unclean stop (exit status 75) reads these instead. Absent when no stop was
 * recorded yet.
 */
final class LastShutdownMetrics implements MeterBinder {

    private final LifecycleView.LastShutdown last;

    LastShutdownMetrics(LifecycleView.LastShutdown last) {
        this.last = last;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (last == null) {
            return;
        }
        gauge(registry, "quiesce.last.shutdown.clean", last.clean() ? 1 : 0, "1 when the last stop exited 0");
        gauge(registry, "quiesce.last.shutdown.exit.status", last.exitStatus(), "Exit status of the last stop");
        gauge(registry, "quiesce.last.shutdown.duration.seconds", last.durationMs() / 1000.0,
                "How long the last stop took");
        gauge(registry, "quiesce.last.shutdown.requeued", last.requeued(),
                "Running jobs the last stop cut off and requeued");
        gauge(registry, "quiesce.last.shutdown.drained", last.drained(), "Jobs that finished during the last stop");
        gauge(registry, "quiesce.last.shutdown.timestamp.seconds", last.startedAt().getEpochSecond(),
                "When the last stop began (epoch seconds)");
    }

    private static void gauge(MeterRegistry registry, String name, double value, String description) {
        Gauge.builder(name, () -> value).description(description).strongReference(true).register(registry);
    }
}
