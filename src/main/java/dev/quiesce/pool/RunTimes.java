package dev.quiesce.pool;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Recent run times per job type, for the drain admission rule's 90th percentile. Thread-safe. */
final class RunTimes {

    private static final int WINDOW = 128;

    private final Map<String, Window> byType = new ConcurrentHashMap<>();

    void record(String type, Duration took) {
        byType.computeIfAbsent(type, t -> new Window()).add(took.toMillis());
    }

    /** The 90th percentile of the last runs of {@code type}, or empty when none is known yet. */
    Optional<Duration> p90(String type) {
        Window window = byType.get(type);
        return window == null ? Optional.empty() : window.p90().map(Duration::ofMillis);
    }

    private static final class Window {
        private final long[] millis = new long[WINDOW];
        private int count;
        private int next;

        synchronized void add(long value) {
            millis[next] = value;
            next = (next + 1) % WINDOW;
            count = Math.min(count + 1, WINDOW);
        }

        synchronized Optional<Long> p90() {
            if (count == 0) {
                return Optional.empty();
            }
            long[] sorted = Arrays.copyOf(millis, count);
            Arrays.sort(sorted);
            return Optional.of(sorted[(int) Math.ceil(0.9 * count) - 1]);
        }
    }
}
