package dev.quiesce.requests;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.quiesce.jobs.Job;

/**
 * Long polls that hold no thread while they wait: each is a future answered with the job as {@code read} shows
 * it when the job finishes, when its time is up, or at once when {@link #releaseAll()} is called (the web
 * server's graceful phase must not wait for them). The polls of one job share their reads: a finish, a recheck
 * every {@link #RECHECK} (a finish on another instance is told to nobody here) and the release each read the
 * job once for all its polls.
 *
 * <p>Threads: one timer that only schedules (it never reads, so a stalled store cannot delay a deadline), and
 * at most {@link #READERS} threads that read; {@link #finished} and {@link #releaseAll} only hand work to them,
 * so the pool's workers and the stopping thread never wait on a read. Thread-safe.
 */
final class LongPolls implements AutoCloseable {

    static final Duration RECHECK = Duration.ofMillis(250);
    /** Reads answering polls at once; each waits on the store at most its timeout. The store has 8 readers. */
    static final int READERS = 4;

    private final Function<String, Optional<Job>> read;
    private final Map<String, Set<Poll>> waiting = new ConcurrentHashMap<>();
    /** Jobs whose periodic recheck is under way: a slow store gets one recheck per job at a time, not a pile. */
    private final Set<String> rechecking = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final ThreadPoolExecutor readers;
    private volatile boolean released;

    /** @param read the job as a client sees it now; may throw (a store that does not answer) */
    LongPolls(Function<String, Optional<Job>> read) {
        this.read = read;
        this.timer = new ScheduledThreadPoolExecutor(1, daemon("quiesce-long-poll-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        this.readers = new ThreadPoolExecutor(READERS, READERS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemon("quiesce-long-poll-reader"));
        this.readers.allowCoreThreadTimeOut(true);
        this.timer.scheduleWithFixedDelay(this::recheckAll, RECHECK.toMillis(), RECHECK.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    /**
     * Reads the job on the caller's thread and answers it at once when it is unknown, finished, the polls are
     * released or {@code max} is not positive; otherwise answers later, on a reader thread. A read that fails
     * on the caller's thread is thrown; one that fails later fails the future with its exception.
     */
    CompletableFuture<Optional<Job>> await(String id, Duration max) {
        Poll poll = new Poll(id);
        // Registered before the read: a finish between the read and the registration is not missed.
        // Added inside compute(), as forget() removes an emptied set inside computeIfPresent(): never to a set
        // that has just left the map.
        waiting.compute(id, (key, polls) -> {
            Set<Poll> joined = polls == null ? ConcurrentHashMap.newKeySet() : polls;
            joined.add(poll);
            return joined;
        });
        poll.answer.whenComplete((job, failure) -> forget(poll));
        Optional<Job> job;
        try {
            job = read.apply(id);
        } catch (RuntimeException e) {
            poll.answer.cancel(false);
            throw e;
        }
        if (answers(job) || released || max.isNegative() || max.isZero()) {
            poll.answer.complete(job);
            return poll.answer;
        }
        try {
            poll.deadline = timer.schedule(() -> expire(poll), max.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closed) {
            poll.answer.complete(job);
        }
        if (poll.answer.isDone()) { // answered while the deadline was being set: forget() may have missed it
            cancel(poll.deadline);
        }
        return poll.answer;
    }

    /** The job finished here (or was requeued): its polls read it once, and those it answers end. */
    void finished(String id) {
        if (waiting.containsKey(id)) {
            readLater(() -> check(id));
        }
    }

    /** Answers every poll now, with the job as it is; polls that begin later are answered at once. */
    void releaseAll() {
        released = true;
        for (String id : waiting.keySet()) {
            Set<Poll> polls = waiting.remove(id);
            if (polls != null) {
                readLater(() -> answer(id, polls));
            }
        }
    }

    /** Polls waiting now (for tests and logs). */
    int waiting() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** Releases the polls, lets their reads finish, and ends the threads. */
    @Override
    public void close() {
        releaseAll();
        timer.shutdownNow();
        readers.shutdown();
    }

    private static boolean answers(Optional<Job> job) {
        return job.isEmpty() || job.get().status().isTerminal();
    }

    private void recheckAll() {
        for (String id : waiting.keySet()) {
            if (rechecking.add(id)) {
                readLater(() -> {
                    try {
                        check(id);
                    } finally {
                        rechecking.remove(id);
                    }
                });
            }
        }
    }

    /** Reads the job once; if it answers the polls (finished, or gone), or the read fails, they all end. */
    private void check(String id) {
        if (!waiting.containsKey(id)) {
            return;
        }
        Optional<Job> job;
        try {
            job = read.apply(id);
        } catch (RuntimeException e) {
            Set<Poll> polls = waiting.remove(id);
            if (polls != null) {
                polls.forEach(poll -> poll.answer.completeExceptionally(e));
            }
            return;
        }
        if (answers(job)) {
            // Polls registered after the read began get it too: a finished job stays finished.
            Set<Poll> polls = waiting.remove(id);
            if (polls != null) {
                polls.forEach(poll -> poll.answer.complete(job));
            }
        }
    }

    private void expire(Poll poll) {
        if (!poll.answer.isDone()) {
            readLater(() -> answer(poll.id, Set.of(poll)));
        }
    }

    /** Answers {@code polls} (those not answered meanwhile) with one read of the job, whatever it shows. */
    private void answer(String id, Set<Poll> polls) {
        if (polls.stream().allMatch(poll -> poll.answer.isDone())) {
            return;
        }
        try {
            Optional<Job> job = read.apply(id);
            polls.forEach(poll -> poll.answer.complete(job));
        } catch (RuntimeException e) {
            polls.forEach(poll -> poll.answer.completeExceptionally(e));
        }
    }

    private void readLater(Runnable work) {
        try {
            readers.execute(work);
        } catch (RejectedExecutionException closed) {
            work.run(); // only after close(): nobody is left to wait for it
        }
    }

    private void forget(Poll poll) {
        waiting.computeIfPresent(poll.id, (id, polls) -> {
            polls.remove(poll);
            return polls.isEmpty() ? null : polls;
        });
        cancel(poll.deadline);
    }

    private static void cancel(ScheduledFuture<?> deadline) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger number = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, name + "-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private static final class Poll {
        final String id;
        final CompletableFuture<Optional<Job>> answer = new CompletableFuture<>();
        volatile ScheduledFuture<?> deadline;

        Poll(String id) {
            this.id = id;
        }
    }
}
