package dev.quiesce.pool;

import java.util.List;

import dev.quiesce.lifecycle.StopForecast;

/**
 * The arithmetic of a stop forecast, on times in milliseconds from the moment the stop would begin; no clock,
 * no threads, no store. It plays the drain as {@link JobPool#drain} and {@link DrainAdmission} run it:
 *
 * <ul>
 * <li>each running job holds its worker until its expected end ({@code runningLeftMs}); one still running at
 * the drain deadline ({@code budget - reserve}) is cut off;</li>
 * <li>under policy {@code drain}, each queued job goes, oldest first, to the first worker free; before the
 * pre-stop delay is over the pool is still open and starts it whatever its length (a job started then may be
 * cut off); from then on it starts only if its expected run time fits the time left, else it stays queued, and
 * so do the ones after it (they are expected to take as long, on workers free no sooner);</li>
 * <li>under policy {@code requeue}, every queued job stays queued.</li>
 * </ul>
 *
 * <p>All queued jobs are taken to run {@code queuedEachMs} (the store's queued jobs are not in memory, only
 * their count); so the greedy schedule has a closed form and the forecast costs the same for a million queued
 * jobs as for one: the k-th queued start is the k-th smallest of the times {@code free + m * each} over the
 * workers, found by a binary search on time.
 */
final class DrainForecast {

    /** When the stop would begin, the work in hand and the stop's settings; times in milliseconds. */
    record Work(List<Long> runningLeftMs, long queued, long queuedEachMs, int workers, long budgetMs,
            long preStopDelayMs, long reserveMs, boolean runQueued) {
    }

    private DrainForecast() {
    }

    static StopForecast of(Work work) {
        long drainEnd = work.budgetMs() - work.reserveMs();
        int slots = Math.max(work.workers(), work.runningLeftMs().size());
        long[] free = new long[slots]; // when each worker is free: idle ones at once
        long lastEnd = 0;
        long cutOff = 0;
        for (int i = 0; i < work.runningLeftMs().size(); i++) {
            long left = Math.max(0, work.runningLeftMs().get(i));
            free[i] = left;
            lastEnd = Math.max(lastEnd, left);
            if (left > drainEnd) {
                cutOff++;
            }
        }
        long started = 0;
        if (work.runQueued() && work.queued() > 0) {
            long each = Math.max(0, work.queuedEachMs());
            // The last moment a queued job may start: while the pool is still open (the pre-stop delay), or
            // once draining, if it fits before the drain deadline.
            long lastStart = Math.max(work.preStopDelayMs() - 1, drainEnd - each);
            long admissible = starts(free, each, lastStart, work.queued());
            started = Math.min(work.queued(), admissible);
            if (started > 0) {
                long lastStarted = firstTimeWith(free, each, started, lastStart);
                lastEnd = Math.max(lastEnd, lastStarted + each);
                long fitting = drainEnd - each < 0 ? 0 : starts(free, each, drainEnd - each, started);
                cutOff += started - Math.min(started, fitting);
            }
        }
        long needMs = Math.max(work.preStopDelayMs(), lastEnd) + work.reserveMs();
        long leftQueued = work.queued() - started;
        return new StopForecast(cutOff == 0, needMs, cutOff, leftQueued);
    }

    /**
     * How many queued jobs start at or before {@code time} (at most {@code cap}): on each worker free at
     * {@code f <= time}, one at {@code f}, {@code f + each}, ... With {@code each} zero, every job starts on the
     * first worker free.
     */
    private static long starts(long[] free, long each, long time, long cap) {
        long count = 0;
        for (long f : free) {
            if (f <= time) {
                count += each == 0 ? cap : (time - f) / each + 1;
                if (count >= cap) {
                    return cap;
                }
            }
        }
        return count;
    }

    /** The earliest time at or before {@code latest} by which {@code n} queued jobs have started. */
    private static long firstTimeWith(long[] free, long each, long n, long latest) {
        long low = 0;
        long high = latest;
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (starts(free, each, mid, n) >= n) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }
}
