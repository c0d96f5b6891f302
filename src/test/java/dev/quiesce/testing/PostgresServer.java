package dev.quiesce.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A PostgreSQL server of one test's own, for fault tests: it can be paused, killed and restarted without
 * disturbing any other test (they share {@link Postgres}). Its {@link #jdbcUrl()} stays valid across a kill and a
 * restart. {@link #close()} always resumes the server before it stops it, and a server never closed is killed
 * when the JVM exits, so no stopped or orphaned postgres outlives the tests. Not for concurrent use: one test
 * drives it. Mind that JDBC waits on a paused server forever unless told otherwise ({@code socketTimeout},
 * {@code connectTimeout}, {@code loginTimeout}, {@code Statement.setQueryTimeout}).
 */
public final class PostgresServer implements AutoCloseable {

    private static final String DATABASE = "faults";
    private static final Duration STARTUP_LIMIT = Duration.ofSeconds(60);
    private static final Duration STOP_LIMIT = Duration.ofSeconds(30);

    private enum State {
        RUNNING, PAUSED, KILLED, CLOSED
    }

    private final Path home;
    private final Path data;
    private final Path log;
    private final int port;
    private final List<String> command;
    private final Thread exitHook;
    /** The running postmaster, a child of this JVM; null until it started. */
    private volatile Process postmaster;
    private State state = State.RUNNING;

    private PostgresServer(Path home, int port, List<String> command) {
        this.home = home;
        this.data = home.resolve("data");
        this.log = home.resolve("postgres.log");
        this.port = port;
        this.command = command;
        this.exitHook = new Thread(this::killQuietly, "postgres-server-" + port + "-exit");
        Runtime.getRuntime().addShutdownHook(exitHook);
    }

    /** Starts a new server on a free port with an empty database and returns once it accepts connections. */
    public static PostgresServer start() throws IOException {
        Path home = Files.createTempDirectory("postgres-server");
        Path data = home.resolve("data");
        List<String> command = new ArrayList<>();
        int port;
        // zonky prepares the server (extracts its PostgreSQL 14 binaries, runs initdb) and starts it once, which
        // shows how to run it here: as root, zonky runs it under `unshare -U`, in a user namespace where it is not
        // root (PostgreSQL refuses to run as root). Then the kit runs the same binary the same way itself, as a
        // child of this JVM: zonky's handle cannot start a server again (it holds a lock on the data directory
        // until it stops the server with pg_ctl), and pg_ctl's daemon would be the child of the machine's init,
        // where a killed postmaster stays a zombie until init reaps it, and PostgreSQL takes a zombie's pid in
        // postmaster.pid for a live server. This JVM reaps its child at once.
        try (EmbeddedPostgres prepared = EmbeddedPostgres.builder().setDataDirectory(data)
                .setCleanDataDirectory(false).setRegisterShutdownHook(false).start()) {
            port = prepared.getPort();
            Path process = Path.of("/proc", Long.toString(postmasterPid(data)));
            if (!Files.readSymbolicLink(process.resolve("ns/user"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")))) {
                command.addAll(List.of("unshare", "-U")); // it runs in a user namespace of its own
            }
            command.add(Files.readSymbolicLink(process.resolve("exe")).toString());
        } catch (IOException | RuntimeException e) {
            ProcessSupport.deleteQuietly(home);
            throw e;
        }
        // -F: no fsync; a killed server loses nothing the kernel holds, and tests do not crash the machine
        command.addAll(List.of("-D", data.toString(), "-p", Integer.toString(port), "-F", "-c", "timezone=UTC"));
        PostgresServer server = new PostgresServer(home, port, List.copyOf(command));
        try {
            server.startPostmaster();
            try (Connection connection = DriverManager.getConnection(server.url("postgres"));
                    Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + DATABASE);
            }
        } catch (IOException | SQLException | RuntimeException e) {
            server.close();
            throw e instanceof IOException io ? io : new IOException("could not start PostgreSQL on " + port, e);
        }
        return server;
    }

    /** The JDBC URL of this server's database, the same before and after a {@link #kill()} and {@link #restart()}. */
    public String jdbcUrl() {
        return url(DATABASE);
    }

    /**
     * Stalls the server: SIGSTOPs the postmaster and every process it forked, and returns once all are stopped.
     * Open connections stay open and their queries wait; new connections get no answer. Pausing a paused server
     * changes nothing.
     */
    public synchronized void pause() throws IOException {
        requireAlive("pause");
        ServerProcesses.stop(postmaster.toHandle());
        state = State.PAUSED;
    }

    /** Undoes {@link #pause()}: SIGCONTs every process of the server. Resuming a running server changes nothing. */
    public synchronized void resume() throws IOException {
        requireAlive("resume");
        ServerProcesses.resume(postmaster.toHandle());
        state = State.RUNNING;
    }

    /**
     * Crashes the server: SIGKILLs the postmaster and every process it forked (paused or not), and returns once
     * all are gone. Open connections break and new ones are refused until {@link #restart()}.
     */
    public synchronized void kill() throws IOException {
        requireOpen("kill");
        ServerProcesses.kill(postmaster.toHandle());
        awaitExit(postmaster, ServerProcesses.LIMIT);
        state = State.KILLED;
    }

    /**
     * Starts the server again on the same port and data directory after a {@link #kill()} (a running or paused
     * server is killed first), and returns once it accepts connections: PostgreSQL recovers from its WAL, so
     * every commit made before the kill is there.
     */
    public synchronized void restart() throws IOException {
        requireOpen("restart");
        if (state != State.KILLED) {
            kill();
        }
        startPostmaster();
        state = State.RUNNING;
    }

    /**
     * Resumes the server if it is paused, stops it (fast shutdown; killed if it does not end in time), and removes
     * its files. Safe to call in any state and more than once.
     */
    @Override
    public synchronized void close() throws IOException {
        if (state == State.CLOSED) {
            return;
        }
        try {
            Process running = postmaster;
            if (state == State.PAUSED) {
                ServerProcesses.resume(running.toHandle());
            }
            if (state != State.KILLED && running != null && running.isAlive()) {
                // SIGINT: PostgreSQL's fast shutdown, which does not wait for the clients to disconnect
                Commands.check(STOP_LIMIT, List.of("kill", "-s", "INT", Long.toString(running.pid())));
                awaitExit(running, STOP_LIMIT);
            }
        } finally {
            // whether it stopped or not, leave no process and no files behind
            killQuietly();
            state = State.CLOSED;
            try {
                Runtime.getRuntime().removeShutdownHook(exitHook);
            } catch (IllegalStateException e) {
                // the JVM is exiting; the hook runs anyway and finds nothing left to do
            }
        }
    }

    /** The postmaster, for tests of the kit that look at its processes. */
    ProcessHandle postmaster() {
        return postmaster.toHandle();
    }

    private void startPostmaster() throws IOException {
        Process started = ProcessSupport.startLogged(command, home, log).process();
        postmaster = started;
        ProcessSupport.awaitReady(started, "PostgreSQL on port " + port, log, STARTUP_LIMIT, () -> {
            try (Connection probe = DriverManager.getConnection(url("postgres") + "&connectTimeout=1&loginTimeout=1")) {
                return probe.isValid(1);
            }
        });
        // unshare executes postgres in its own process: the child is the postmaster
        long recorded = postmasterPid(data);
        if (recorded != started.pid()) {
            throw new IOException("postmaster.pid names " + recorded + ", not the started process " + started.pid());
        }
    }

    private String url(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database + "?user=postgres";
    }

    /** The postmaster's pid: the first line of {@code postmaster.pid} (a pid of this machine: no PID namespace). */
    private static long postmasterPid(Path data) throws IOException {
        return Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
    }

    /** Waits for the postmaster to end and be reaped (by this JVM, its parent), at most {@code limit}. */
    private static void awaitExit(Process process, Duration limit) throws IOException {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("the postmaster (pid " + process.pid() + ") did not end within " + limit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the postmaster to end");
        }
    }

    private void requireAlive(String action) {
        requireOpen(action);
        if (state == State.KILLED) {
            throw new IllegalStateException("cannot " + action + " a killed server: restart() it first");
        }
    }

    private void requireOpen(String action) {
        if (state == State.CLOSED) {
            throw new IllegalStateException("cannot " + action + " a closed server");
        }
    }

    /**
     * Kills whatever is left of the server, removes the shared memory segment a killed postmaster leaves behind,
     * and deletes the server's files; runs from {@link #close()} and at JVM exit, and never throws.
     */
    private void killQuietly() {
        try {
            Process running = postmaster;
            if (running != null) {
                ServerProcesses.kill(running.toHandle());
                awaitExit(running, ServerProcesses.LIMIT);
            }
            Path lock = data.resolve("postmaster.pid");
            if (Files.exists(lock)) {
                // line 7: the System V segment's key and id; a clean stop removes both, a kill neither
                String[] segment = Files.readAllLines(lock).get(6).strip().split("\\s+");
                Commands.run(ServerProcesses.LIMIT, List.of("ipcrm", "-m", segment[1]));
            }
        } catch (IOException | RuntimeException e) {
            // best effort: the caller is already failing or the JVM is exiting
        }
        ProcessSupport.deleteQuietly(home);
    }
}
