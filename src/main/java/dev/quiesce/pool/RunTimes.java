package dev.quiesce.pool;

import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * Recent run times per job type, for the drain admission rule's 90th percentile and the stop forecast. Thread-safe;
 * a type's p90 is worked out again only after a new run time (the forecast reads it on every {@code /lifecycle}).
 */
final class RunTimes {

    private static final int WINDOW = 128;
    /** The weight of the newest run in {@link #recentMean}: about the last 16 runs count. */
    private static final double MEAN_WEIGHT = 1.0 / 16;

    private final Map<String, Window> byType = new ConcurrentHashMap<>();
    /** Told of each run time recorded, with the type's p90 since: the slow-type warning listens. */
    private volatile BiConsumer<String, Duration> onRecorded = (type, p90) -> {
    };

    /** An exponentially weighted mean of every run that ended, of any type, in nanoseconds; -1 before the first. */
    private final AtomicLong meanNanos = new AtomicLong(-1);

    /** The last run of each type that ended, in nanoseconds. */
    private final Map<String, Long> lastEndedNanos = new ConcurrentHashMap<>();

    /**
     * A run of {@code type} ended (whatever its outcome; a run cut off by a stop is not one) after {@code took}.
     */
    void ended(String type, Duration took) {
        long nanos = Math.max(0, took.toNanos());
        meanNanos.getAndUpdate(mean -> mean < 0 ? nanos : Math.round(mean + (nanos - mean) * MEAN_WEIGHT));
        lastEndedNanos.put(type, nanos);
    }

    /**
     * Whether runs of {@code type} take less than {@code limit}: by the p90 of its successful runs when there
     * are some (one slow run does not change it), else by its last run that ended (a type that only fails);
     * false if none has ended.
     */
    boolean quick(String type, Duration limit) {
        Optional<Duration> p90 = p90(type);
        if (p90.isPresent()) {
            return p90.get().compareTo(limit) < 0;
        }
        Long nanos = lastEndedNanos.get(type);
        return nanos != null && nanos < limit.toNanos();
    }

    /**
     * How long the last runs on this pool took, of whatever type: a mean weighted to the last 16 or so (one
     * slow run among fast ones moves it at once); empty before the first.
     */
    Optional<Duration> recentMean() {
        long mean = meanNanos.get();
        return mean < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(mean));
    }

    /** A successful run of {@code type} took {@code took}: its p90 comes from these. */
    void record(String type, Duration took) {
        Window window = byType.computeIfAbsent(type, t -> new Window());
        window.add(took.toMillis());
        window.p90().ifPresent(p90 -> onRecorded.accept(type, Duration.ofMillis(p90)));
    }

    /** Who is told of each run time recorded (replaces the one before); called on the worker that ran the job. */
    void onRecorded(BiConsumer<String, Duration> listener) {
        onRecorded = listener;
    }

    /** The 90th percentile of the last runs of {@code type}, or empty when none is known yet. */
    Optional<Duration> p90(String type) {
        Window window = byType.get(type);
        return window == null ? Optional.empty() : window.p90().map(Duration::ofMillis);
    }

    /** The longest p90 among the types with known run times, or empty when none is known yet. */
    Optional<Duration> longestP90() {
        return byType.values().stream().map(Window::p90).flatMap(Optional::stream).max(Long::compare)
                .map(Duration::ofMillis);
    }

    private static final class Window {
        private final long[] millis = new long[WINDOW];
        private int count;
        private int next;
        /** The p90 of the window as it is, or -1 when it must be worked out again. */
        private long p90 = -1;

        synchronized void add(long value) {
            millis[next] = value;
            next = (next + 1) % WINDOW;
            count = Math.min(count + 1, WINDOW);
            p90 = -1;
        }

        synchronized Optional<Long> p90() {
            if (count == 0) {
                return Optional.empty();
            }
            if (p90 < 0) {
                long[] sorted = Arrays.copyOf(millis, count);
                Arrays.sort(sorted);
                p90 = sorted[(int) Math.ceil(0.9 * count) - 1];
            }
            return Optional.of(p90);
        }
    }
}
