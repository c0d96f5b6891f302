package dev.quiesce.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** The group commit's promise: one failing piece of a batch does not undo the others. */
class StoreWriterTest {

    @TempDir
    Path dir;

    @Test
    void aFailingPieceFailsAloneAndTheRestOfItsBatchCommits() throws Exception {
        SQLiteDataSource data = new SQLiteDataSource();
        data.setUrl("jdbc:sqlite:" + dir.resolve("w.db"));
        try (Connection connection = data.getConnection(); Statement create = connection.createStatement()) {
            create.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
        }
        try (StoreWriter writer = new StoreWriter(data, 64)) {
            // Hold the writer so that the next pieces wait and run as one batch.
            CountDownLatch holding = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> gate = CompletableFuture.supplyAsync(() -> writer.execute(tx -> {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }, Duration.ofSeconds(30)));
            holding.await();
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (String key : List.of("a", "b", "a", "c")) { // the second "a" breaks the primary key
                answers.add(CompletableFuture.supplyAsync(() -> writer.execute(tx -> {
                    var insert = tx.statement("INSERT INTO t (k) VALUES (?)");
                    insert.setString(1, key);
                    return insert.executeUpdate();
                }, Duration.ofSeconds(30))));
            }
            Thread.sleep(200);
            release.countDown();
            gate.join();
            int ok = 0;
            int failed = 0;
            for (CompletableFuture<Integer> answer : answers) {
                try {
                    answer.join();
                    ok++;
                } catch (RuntimeException e) {
                    failed++;
                }
            }
            assertThat(ok).isEqualTo(3);
            assertThat(failed).isEqualTo(1);
        }
        try (Connection connection = data.getConnection(); Statement count = connection.createStatement();
                ResultSet rows = count.executeQuery("SELECT group_concat(k, '') FROM (SELECT k FROM t ORDER BY k)")) {
            rows.next();
            assertThat(rows.getString(1)).isEqualTo("abc");
        }
    }
}
