package dev.quiesce.pool;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.quiesce.lifecycle.StopForecast;

/**
 * The arithmetic of a stop forecast, on times in milliseconds from the moment the stop would begin; no clock,
 * no threads, no store. It plays the drain as {@link JobPool#drain} and {@link DrainAdmission} run it:
 *
 * <ul>
 * <li>each running job holds its worker until its expected end ({@code runningLeftMs}); one still running at
 * the drain deadline ({@code budget - reserve}) is cut off;</li>
 * <li>under policy {@code drain}, whenever a worker is free the first queued job in claim order that may start
 * goes to it: before the pre-stop delay is over the pool is still open and starts the first whatever its length
 * (a job started then may be cut off); from then on the first whose expected run time fits the time left, and
 * one whose run time is unknown (the drain admits it). A job that does not fit now fits no later, so the drain
 * ends when none of those in reach fits: the head's ({@code head}, up to {@link ClaimedJobs#DRAIN_SCAN} jobs
 * known one by one), and behind it the {@code tail} (only counted), which a drain reaches only while fewer than
 * {@link ClaimedJobs#DRAIN_SCAN} head jobs stay queued;</li>
 * <li>under policy {@code requeue}, every queued job stays queued.</li>
 * </ul>
 *
 * <p>The head is played job by job. The tail's jobs are all taken to run {@code tailEachMs} (they are not in
 * memory, only their count), so its greedy schedule has a closed form and the forecast costs the same for a
 * million queued jobs as for one: the k-th tail start is the k-th smallest of the times {@code free + m * each}
 * over the workers, found by a binary search on time.
 */
final class DrainForecast {

    /**
     * When the stop would begin, the work in hand and the stop's settings; times in milliseconds. {@code head}
     * is the first queued jobs in claim order, {@code tail} how many are queued behind them, each expected to run
     * {@code tailEachMs}.
     */
    record Work(List<Long> runningLeftMs, List<Queued> head, long tail, long tailEachMs, int workers, long budgetMs,
            long preStopDelayMs, long reserveMs, boolean runQueued) {

        /** Work whose queued jobs are only counted. */
        Work(List<Long> runningLeftMs, long queued, long queuedEachMs, int workers, long budgetMs,
                long preStopDelayMs, long reserveMs, boolean runQueued) {
            this(runningLeftMs, List.of(), queued, queuedEachMs, workers, budgetMs, preStopDelayMs, reserveMs,
                    runQueued);
        }
    }

    /**
     * A queued job of the head: its expected run time, when known. One with none is admitted by the drain and,
     * as a running job with none, taken to end at once.
     */
    record Queued(Optional<Long> expectedMs) {

        static Queued expected(long ms) {
            return new Queued(Optional.of(ms));
        }

        static Queued unknown() {
            return new Queued(Optional.empty());
        }
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
        long each = Math.max(0, work.tailEachMs());
        List<Queued> waiting = new ArrayList<>(work.head());
        if (work.runQueued()) {
            while (!waiting.isEmpty()) {
                int worker = firstFree(free);
                long at = free[worker];
                int next = firstThatMayStart(waiting, at, work.preStopDelayMs(), drainEnd);
                if (next < 0) {
                    break; // none fits now, so none will: they stay queued
                }
                long end = at + waiting.remove(next).expectedMs().orElse(0L);
                free[worker] = end;
                lastEnd = Math.max(lastEnd, end);
                cutOff += end > drainEnd ? 1 : 0;
                started++;
            }
        }
        long tailStarted = 0;
        if (work.runQueued() && work.tail() > 0 && waiting.size() < ClaimedJobs.DRAIN_SCAN) {
            // The last moment a tail job may start: while the pool is still open (the pre-stop delay), or
            // once draining, if it fits before the drain deadline.
            long lastStart = Math.max(work.preStopDelayMs() - 1, drainEnd - each);
            tailStarted = Math.min(work.tail(), starts(free, each, lastStart, work.tail()));
            if (tailStarted > 0) {
                long lastStarted = firstTimeWith(free, each, tailStarted, lastStart);
                lastEnd = Math.max(lastEnd, lastStarted + each);
                long fitting = drainEnd - each < 0 ? 0 : starts(free, each, drainEnd - each, tailStarted);
                cutOff += tailStarted - Math.min(tailStarted, fitting);
            }
        }
        long needMs = Math.max(work.preStopDelayMs(), lastEnd) + work.reserveMs();
        long leftQueued = work.head().size() + work.tail() - started - tailStarted;
        return new StopForecast(cutOff == 0, needMs, cutOff, leftQueued);
    }

    private static int firstFree(long[] free) {
        int first = 0;
        for (int i = 1; i < free.length; i++) {
            if (free[i] < free[first]) {
                first = i;
            }
        }
        return first;
    }

    /** The first queued job that may start at {@code at}, or -1: any while the pool is open, else one that fits. */
    private static int firstThatMayStart(List<Queued> waiting, long at, long preStopDelayMs, long drainEnd) {
        if (at < preStopDelayMs) {
            return 0;
        }
        for (int i = 0; i < waiting.size() && i < ClaimedJobs.DRAIN_SCAN; i++) {
            Optional<Long> expected = waiting.get(i).expectedMs();
            if (expected.isEmpty() || expected.get() <= drainEnd - at) {
                return i;
            }
        }
        return -1;
    }

    /**
     * How many tail jobs start at or before {@code time} (at most {@code cap}): on each worker free at
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

    /** The earliest time at or before {@code latest} by which {@code n} tail jobs have started. */
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
