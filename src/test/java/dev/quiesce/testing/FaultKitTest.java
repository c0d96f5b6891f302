package dev.quiesce.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** The fault kit does what fault tests rely on, with a real PostgreSQL and a real filesystem. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FaultKitTest {

    /** How long a stalled call must stay unanswered to count as stalled. */
    private static final Duration STALL = Duration.ofSeconds(1);
    /** Generous: only there so that a hang fails the test instead of holding the build. */
    private static final Duration HANG = Duration.ofSeconds(30);

    private static final ExecutorService CALLS = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-kit-test-call");
        thread.setDaemon(true);
        return thread;
    });

    @AfterAll
    static void stopCalls() {
        CALLS.shutdownNow();
    }

    @Test
    void aPausedServerAnswersNothingUntilItIsResumed() throws Exception {
        try (PostgresServer server = PostgresServer.start();
                Connection before = DriverManager.getConnection(server.jdbcUrl())) {
            assertThat(selectOne(before)).isEqualTo(1);

            server.pause();
            server.pause(); // a second pause changes nothing

            List<Long> processes = ServerProcesses.of(server.postmaster());
            assertThat(processes).as("the postmaster, its auxiliary processes and the backend of `before`")
                    .hasSizeGreaterThan(2);
            assertThat(processes).allSatisfy(pid -> assertThat(ServerProcesses.state(pid)).contains('T'));
            Future<Integer> stalled = CALLS.submit(() -> selectOne(before));
            assertThatThrownBy(() -> stalled.get(STALL.toMillis(), TimeUnit.MILLISECONDS))
                    .isInstanceOf(TimeoutException.class);
            Future<Connection> refused = CALLS.submit(() -> connect(server, 1));
            assertThatThrownBy(() -> refused.get(HANG.toMillis(), TimeUnit.MILLISECONDS))
                    .hasCauseInstanceOf(SQLException.class).hasMessageContaining("timed out"); // not refused

            server.resume();
            server.resume(); // and so does a second resume

            assertThat(stalled.get(HANG.toMillis(), TimeUnit.MILLISECONDS)).as("the stalled query, answered late")
                    .isEqualTo(1);
            try (Connection after = connect(server, 10)) {
                assertThat(selectOne(after)).isEqualTo(1);
            }
            // None is stopped; one may have ended meanwhile (the backend of the connection attempt that timed out)
            assertThat(ServerProcesses.of(server.postmaster()))
                    .allSatisfy(pid -> assertThat(ServerProcesses.state(pid)).isNotEqualTo(Optional.of('T')));
        }
    }

    @Test
    void aKilledServerRefusesConnectionsAndARestartedOneHasKeptEveryCommit() throws Exception {
        try (PostgresServer server = PostgresServer.start()) {
            String url = server.jdbcUrl();
            Connection before = DriverManager.getConnection(url);
            try (Statement write = before.createStatement()) {
                write.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
                write.execute("INSERT INTO t VALUES ('committed before the kill')");
            }
            List<Long> processes = ServerProcesses.of(server.postmaster());

            server.kill();

            assertThat(processes).allSatisfy(pid -> assertThat(ServerProcesses.state(pid)).isEmpty());
            assertThatThrownBy(() -> selectOne(before)).isInstanceOf(SQLException.class);
            before.close();
            assertThatThrownBy(() -> connect(server, 1)).isInstanceOf(SQLException.class)
                    .hasRootCauseInstanceOf(ConnectException.class);

            server.restart();

            assertThat(server.jdbcUrl()).isEqualTo(url);
            try (Connection after = connect(server, 10); Statement read = after.createStatement();
                    ResultSet rows = read.executeQuery("SELECT k FROM t")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("committed before the kill");
            }
        }
    }

    @Test
    void closingAPausedServerLeavesNoProcessAndNoFileBehind() throws Exception {
        PostgresServer server = PostgresServer.start();
        try (Connection open = DriverManager.getConnection(server.jdbcUrl())) {
            List<Long> processes = ServerProcesses.of(server.postmaster());
            Path data = Path.of("/proc", Long.toString(server.postmaster().pid()), "cwd").toRealPath();
            server.pause();

            server.close();

            assertThat(processes).allSatisfy(pid -> assertThat(ServerProcesses.state(pid)).isEmpty());
            assertThat(data).doesNotExist();
        } finally {
            server.close(); // a second close changes nothing
        }
    }

    @Test
    void aFilledDiskRefusesWritesUntilItIsFreed() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(8 << 20)) {
            assertThat(Files.getFileStore(disk.dir()).getTotalSpace()).isEqualTo(8 << 20);
            disk.fill();

            assertThat(Files.getFileStore(disk.dir()).getUsableSpace()).isZero();
            Path file = disk.dir().resolve("64k");
            assertThatThrownBy(() -> Files.write(file, new byte[64 << 10])).isInstanceOf(IOException.class)
                    .hasMessageContaining("No space left on device");

            disk.free();

            Files.write(file, new byte[64 << 10]);
            assertThat(Files.size(file)).isEqualTo(64 << 10);
        }
    }

    @Test
    void sqliteOnAFilledDiskFailsWithSqliteFullAndRecoversOnTheSameConnectionOnceFreed() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(8 << 20);
                Connection sqlite = DriverManager.getConnection("jdbc:sqlite:" + disk.dir().resolve("q.db"))) {
            try (Statement setup = sqlite.createStatement()) {
                setup.execute("PRAGMA journal_mode=WAL");
                setup.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB)");
            }
            disk.fill();

            assertThatThrownBy(() -> insertRows(sqlite, 300)).isInstanceOfSatisfying(SQLiteException.class,
                    e -> assertThat(e.getResultCode()).isEqualTo(SQLiteErrorCode.SQLITE_FULL));

            disk.free();

            insertRows(sqlite, 300);
            try (Statement count = sqlite.createStatement();
                    ResultSet rows = count.executeQuery("SELECT count(*) FROM t")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(300);
            }
        }
    }

    /**
     * Inserts {@code count} rows of 1 KB in one transaction. SQLite may roll back a transaction that failed with
     * SQLITE_FULL itself; its advice is to issue ROLLBACK anyway and ignore that one failing.
     */
    private static void insertRows(Connection connection, int count) throws SQLException {
        try (Statement transaction = connection.createStatement();
                PreparedStatement insert = connection.prepareStatement("INSERT INTO t (payload) VALUES (?)")) {
            transaction.execute("BEGIN");
            try {
                for (int i = 0; i < count; i++) {
                    insert.setBytes(1, new byte[1024]);
                    insert.executeUpdate();
                }
                transaction.execute("COMMIT");
            } catch (SQLException e) {
                try {
                    transaction.execute("ROLLBACK");
                } catch (SQLException alreadyRolledBack) {
                    e.addSuppressed(alreadyRolledBack);
                }
                throw e;
            }
        }
    }

    private static Connection connect(PostgresServer server, int timeoutSeconds) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl() + "&connectTimeout=" + timeoutSeconds + "&loginTimeout="
                + timeoutSeconds);
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement select = connection.createStatement(); ResultSet rows = select.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }
}
