package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/**
 * The group commit's promises: one failing piece of a batch does not undo the others; a caller that stops
 * waiting before the writer took its piece withdraws it (nothing is written), one whose piece was taken learns
 * that it is unconfirmed and hears of a late commit; a close fails what is still queued without waiting for it.
 */
@Timeout(60)
class StoreWriterTest {

    /** Long enough never to run out in these tests unless something hangs. */
    private static final Duration LONG = Duration.ofSeconds(30);
    /** What every await and join allows before the test fails as hung. */
    private static final long BOUND_SECONDS = 10;

    @TempDir
    Path dir;

    private SQLiteDataSource data;
    private StoreWriter writer;
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void createTable() throws Exception {
        data = new SQLiteDataSource();
        data.setUrl("jdbc:sqlite:" + dir.resolve("w.db"));
        try (Connection connection = data.getConnection(); Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
        }
    }

    @AfterEach
    void closeWriter() {
        release.countDown();
        if (writer != null) {
            writer.closeWithin(1_000);
        }
    }

    private static StoreWriter.Work<Integer> insert(String key) {
        return tx -> {
            var insert = tx.statement("INSERT INTO t (k) VALUES (?)");
            insert.setString(1, key);
            return insert.executeUpdate();
        };
    }

    /** A piece that writes {@code key}, then holds the writer inside its transaction until {@link #release}. */
    private StoreWriter.Work<String> gate(String key) {
        return tx -> {
            insert(key).run(tx);
            holding.countDown();
            try {
                release.await(BOUND_SECONDS * 3, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "value of " + key;
        };
    }

    /** Starts a gate piece whose caller waits long, and returns once the writer holds it. */
    private CompletableFuture<String> holdTheWriter() throws InterruptedException {
        CompletableFuture<String> gate = CompletableFuture.supplyAsync(() -> writer.execute(gate("gate"), LONG));
        assertThat(holding.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the writer took the gate piece").isTrue();
        return gate;
    }

    /** The keys written, in order. */
    private List<String> rows() throws Exception {
        List<String> keys = new ArrayList<>();
        try (Connection connection = data.getConnection(); Statement select = connection.createStatement();
                ResultSet rows = select.executeQuery("SELECT k FROM t ORDER BY k")) {
            while (rows.next()) {
                keys.add(rows.getString(1));
            }
        }
        return keys;
    }

    /** A call on a thread of its own, so that the test can watch it wait, interrupt it, and time its answer. */
    private static final class Caller<T> {
        final Thread thread;
        final CompletableFuture<T> answer = new CompletableFuture<>();
        volatile long answeredAt;
        volatile boolean interruptedAfter;

        Caller(String name, Callable<T> call) {
            thread = new Thread(() -> {
                try {
                    answer.complete(call.call());
                } catch (Throwable e) {
                    answer.completeExceptionally(e);
                } finally {
                    answeredAt = System.nanoTime();
                    interruptedAfter = Thread.currentThread().isInterrupted();
                }
            }, name);
            thread.setDaemon(true);
            thread.start();
        }

        /** Returns once the call waits with a timeout (for the store's answer). */
        Caller<T> awaitWaiting() {
            await().atMost(Duration.ofSeconds(BOUND_SECONDS))
                    .until(() -> thread.getState() == Thread.State.TIMED_WAITING);
            return this;
        }

        StoreUnavailableException failure() throws InterruptedException {
            thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            assertThat(thread.isAlive()).as("the caller answered").isFalse();
            assertThat(answer).isCompletedExceptionally();
            Throwable[] thrown = new Throwable[1];
            answer.exceptionally(e -> {
                thrown[0] = e;
                return null;
            });
            assertThat(thrown[0]).isInstanceOf(StoreUnavailableException.class);
            return (StoreUnavailableException) thrown[0];
        }
    }

    private static Set<Thread> writerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().equals("quiesce-store-writer") && thread.isAlive())
                .collect(Collectors.toSet());
    }

    @Test
    void aFailingPieceFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        writer = new StoreWriter(data, 64);
        // Hold the writer so that the next pieces wait and run as one batch.
        CompletableFuture<String> gate = holdTheWriter();
        List<Caller<Integer>> answers = new ArrayList<>();
        for (String key : List.of("a", "b", "a", "c")) { // the second "a" breaks the primary key
            answers.add(new Caller<>("insert-" + key, () -> writer.execute(insert(key), LONG)).awaitWaiting());
        }
        release.countDown();
        assertThat(gate.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("value of gate");
        int ok = 0;
        int refused = 0;
        for (Caller<Integer> answer : answers) {
            answer.thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
            if (answer.answer.isCompletedExceptionally()) {
                assertThatThrownBy(answer.answer::join).hasCauseInstanceOf(StoreRejectedException.class);
                refused++;
            } else {
                assertThat(answer.answer.getNow(null)).isEqualTo(1);
                ok++;
            }
        }
        assertThat(ok).isEqualTo(3);
        assertThat(refused).isEqualTo(1);
        assertThat(rows()).containsExactly("a", "b", "c", "gate");
    }

    @Test
    void aPieceRolledBackToItsSavepointLeavesTheTransactionsValuesAsTheyWereBeforeIt() throws Exception {
        StoreWriter.Key<Integer> written = new StoreWriter.Key<>(0);
        writer = new StoreWriter(data, 64);
        CompletableFuture<String> gate = holdTheWriter();
        List<Caller<Integer>> answers = new ArrayList<>();
        for (String key : List.of("a", "b", "a", "c")) { // the second "a" counts itself, then breaks the key
            answers.add(new Caller<>("insert-" + key, () -> writer.execute(tx -> {
                int count = tx.get(written) + 1;
                tx.put(written, count);
                insert(key).run(tx);
                return count;
            }, LONG)).awaitWaiting());
        }
        release.countDown();
        gate.get(BOUND_SECONDS, TimeUnit.SECONDS);

        assertThat(answers.get(0).answer.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(answers.get(1).answer.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo(2);
        assertThatThrownBy(() -> answers.get(2).answer.get(BOUND_SECONDS, TimeUnit.SECONDS))
                .hasCauseInstanceOf(StoreRejectedException.class);
        assertThat(answers.get(3).answer.get(BOUND_SECONDS, TimeUnit.SECONDS))
                .as("the refused piece's count was put back").isEqualTo(3);
        assertThat(rows()).containsExactly("a", "b", "c", "gate");
    }

    @Test
    void whenTheCommitFailsItsIfCommitFailsActionsRunAndItsAfterCommitActionsDoNot() throws Exception {
        AtomicBoolean failCommits = new AtomicBoolean(true);
        writer = new StoreWriter(FailingCommits.wrap(data, failCommits, false), 64);
        List<String> ran = new CopyOnWriteArrayList<>();
        StoreWriter.Work<Integer> work = tx -> {
            tx.afterCommit(() -> ran.add("after commit"));
            tx.ifCommitFails(() -> ran.add("commit failed"));
            return insert("a").run(tx);
        };

        assertThatThrownBy(() -> writer.execute(work, LONG)).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.unconfirmed()).as("a failed commit may have been written").isTrue());
        assertThat(ran).containsExactly("commit failed");

        failCommits.set(false);
        ran.clear();
        assertThat(writer.execute(work, LONG)).isOne();
        assertThat(ran).containsExactly("after commit");
    }

    @Test
    void whenTheWaitRunsOutBeforeTheWriterTakesThePieceItIsWithdrawnAndNeverWritten() throws Exception {
        writer = new StoreWriter(data, 64);
        CompletableFuture<String> gate = holdTheWriter();
        long started = System.nanoTime();

        assertThatThrownBy(() -> writer.execute(insert("withdrawn"), Duration.ofMillis(200)))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.unconfirmed()).as("nothing was written").isFalse());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
        gate.get(BOUND_SECONDS, TimeUnit.SECONDS);
        // A piece queued after the withdrawn one commits only once the writer has passed the withdrawn one.
        writer.execute(insert("after"), LONG);
        assertThat(rows()).containsExactly("after", "gate");
    }

    @Test
    void whenTheCallerIsInterruptedWhileItWaitsThePieceIsWithdrawnAndTheInterruptIsKept() throws Exception {
        writer = new StoreWriter(data, 64);
        CompletableFuture<String> gate = holdTheWriter();
        Caller<Integer> caller = new Caller<>("interrupted-caller",
                () -> writer.execute(insert("withdrawn"), LONG)).awaitWaiting();
        long interruptedAt = System.nanoTime();

        caller.thread.interrupt();

        StoreUnavailableException failure = caller.failure();
        assertThat(failure.unconfirmed()).as("nothing was written").isFalse();
        assertThat(caller.interruptedAfter).as("the interrupt flag is still set").isTrue();
        assertThat(Duration.ofNanos(caller.answeredAt - interruptedAt)).isLessThan(Duration.ofSeconds(5));
        release.countDown();
        gate.get(BOUND_SECONDS, TimeUnit.SECONDS);
        writer.execute(insert("after"), LONG);
        assertThat(rows()).containsExactly("after", "gate");
    }

    @Test
    void aPieceAlreadyTakenIsUnconfirmedAndItsLateCommitIsHandedItsValue() throws Exception {
        writer = new StoreWriter(data, 64);
        AtomicReference<String> lateValue = new AtomicReference<>();
        CountDownLatch lateCommitted = new CountDownLatch(1);

        // The gate piece's own caller gives up while the writer holds the piece inside its transaction.
        assertThatThrownBy(() -> writer.execute(gate("taken"), Duration.ofMillis(500), value -> {
            lateValue.set(value);
            lateCommitted.countDown();
        })).isInstanceOfSatisfying(StoreUnavailableException.class,
                e -> assertThat(e.unconfirmed()).as("the write may still commit").isTrue());

        assertThat(holding.getCount()).as("the writer had taken the piece").isZero();
        assertThat(lateCommitted.getCount()).as("no late commit before the transaction commits").isOne();
        release.countDown();
        assertThat(lateCommitted.await(BOUND_SECONDS, TimeUnit.SECONDS)).as("the late commit was reported").isTrue();
        assertThat(lateValue.get()).isEqualTo("value of taken");
        assertThat(rows()).containsExactly("taken");
    }

    @Test
    void aCloseFailsTheQueuedWritePromptlyAndWritesNothingOfIt() throws Exception {
        Set<Thread> before = writerThreads();
        writer = new StoreWriter(data, 64);
        Set<Thread> ours = writerThreads();
        ours.removeAll(before);
        assertThat(ours).as("this writer's thread").hasSize(1);
        Thread writerThread = ours.iterator().next();
        CompletableFuture<String> gate = holdTheWriter();
        Caller<Integer> queued = new Caller<>("queued-caller", () -> writer.execute(insert("queued"), LONG))
                .awaitWaiting();
        long closing = System.nanoTime();

        Caller<Void> closer = new Caller<>("closer", () -> {
            writer.closeWithin(200);
            return null;
        });

        StoreUnavailableException failure = queued.failure();
        assertThat(failure.unconfirmed()).as("nothing of it was written").isFalse();
        assertThat(Duration.ofNanos(queued.answeredAt - closing)).as("answered long before its own wait of 30 s")
                .isLessThan(Duration.ofSeconds(5));
        closer.thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertThat(closer.thread.isAlive()).as("the close returned").isFalse();
        long after = System.nanoTime();
        assertThatThrownBy(() -> writer.execute(insert("after-close"), LONG))
                .isInstanceOfSatisfying(StoreUnavailableException.class,
                        e -> assertThat(e.unconfirmed()).isFalse());
        assertThat(Duration.ofNanos(System.nanoTime() - after)).as("refused at once").isLessThan(Duration.ofSeconds(1));

        release.countDown();
        assertThat(gate.get(BOUND_SECONDS, TimeUnit.SECONDS)).as("the piece it had taken commits")
                .isEqualTo("value of gate");
        writerThread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertThat(writerThread.isAlive()).as("the writer's thread ends once its last batch is done").isFalse();
        assertThat(rows()).containsExactly("gate");
    }

    @Test
    void aCloseWithTimeToSpareReturnsAsSoonAsTheQueuedWorkIsDone() throws Exception {
        writer = new StoreWriter(data, 64);
        CompletableFuture<String> gate = holdTheWriter();
        Caller<Integer> queued = new Caller<>("queued-caller", () -> writer.execute(insert("queued"), LONG))
                .awaitWaiting();
        Caller<Void> closer = new Caller<>("closer", () -> {
            writer.closeWithin(TimeUnit.SECONDS.toMillis(BOUND_SECONDS * 3));
            return null;
        });
        await("the close is under way").atMost(Duration.ofSeconds(BOUND_SECONDS))
                .until(() -> closer.thread.getState() == Thread.State.TIMED_WAITING);

        long released = System.nanoTime();
        release.countDown();
        closer.thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS * 3));
        assertThat(Duration.ofNanos(System.nanoTime() - released))
                .as("the close ends with the writer's last batch, not at the end of its wait")
                .isLessThan(Duration.ofSeconds(BOUND_SECONDS));
        assertThat(gate.get(BOUND_SECONDS, TimeUnit.SECONDS)).isEqualTo("value of gate");
        queued.thread.join(TimeUnit.SECONDS.toMillis(BOUND_SECONDS));
        assertThat(queued.answer).isCompletedWithValue(1);
        assertThat(rows()).containsExactlyInAnyOrder("gate", "queued");
    }
}
