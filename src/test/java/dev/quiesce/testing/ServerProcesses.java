package dev.quiesce.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The processes of one PostgreSQL server, the postmaster and every descendant, found by walking the process tree
 * from the postmaster's pid: backends call {@code setsid()}, so the postmaster's process group misses them.
 * Signals go through {@code kill(1)} (the JDK sends only SIGTERM and SIGKILL); every method checks in
 * {@code /proc} that the signal took effect before it returns, within {@link #LIMIT}.
 */
final class ServerProcesses {

    static final Duration LIMIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(5);

    private ServerProcesses() {
    }

    /**
     * The pids of the live processes of the server, the postmaster first; none once the postmaster is gone. The
     * handle (not a bare pid) keeps the postmaster's start time, so a pid used again by another process is no
     * longer taken for it.
     */
    static List<Long> of(ProcessHandle postmaster) {
        if (!alive(postmaster)) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster.pid());
        postmaster.descendants().filter(ServerProcesses::alive).forEach(child -> pids.add(child.pid()));
        return pids;
    }

    /**
     * SIGSTOPs every process of the server and returns once each is stopped. The postmaster goes first, and the
     * tree is walked again after each round, so a child forked meanwhile is stopped too; a stopped process
     * forks no more, so the rounds end. Stopping a stopped process changes nothing.
     */
    static void stop(ProcessHandle postmaster) throws IOException {
        Set<Long> stopped = new LinkedHashSet<>();
        List<Long> fresh = of(postmaster);
        while (!fresh.isEmpty()) {
            List<Long> round = fresh;
            signal("STOP", round);
            await("SIGSTOP of " + round).atMost(LIMIT).pollInterval(POLL)
                    .until(() -> round.stream().allMatch(pid -> state(pid).map(s -> s == 'T' || s == 't')
                            .orElse(true)));
            stopped.addAll(round);
            fresh = of(postmaster).stream().filter(pid -> !stopped.contains(pid)).toList();
        }
    }

    /** SIGCONTs every process of the server and returns once none is stopped any more. */
    static void resume(ProcessHandle postmaster) throws IOException {
        List<Long> all = of(postmaster);
        if (all.isEmpty()) {
            return;
        }
        // Children first: the postmaster, resumed last, finds them running.
        List<Long> order = new ArrayList<>(all.subList(1, all.size()));
        order.add(all.get(0));
        signal("CONT", order);
        await("SIGCONT of " + order).atMost(LIMIT).pollInterval(POLL)
                .until(() -> order.stream().allMatch(pid -> state(pid).map(s -> s != 'T').orElse(true)));
    }

    /**
     * SIGKILLs every process of the server, as a crash would, and returns once all are gone. They are stopped
     * first, so that no process is forked (or restarted by the postmaster) between the walk and the kill.
     */
    static void kill(ProcessHandle postmaster) throws IOException {
        stop(postmaster);
        List<Long> all = of(postmaster);
        if (all.isEmpty()) {
            return;
        }
        signal("KILL", all);
        await("SIGKILL of " + all).atMost(LIMIT).pollInterval(POLL)
                .until(() -> all.stream().allMatch(pid -> state(pid).isEmpty()));
    }

    /**
     * The state letter of a process in {@code /proc/<pid>/stat} (R, S, D, T…), or empty when it is gone or a
     * zombie: what is left of it after SIGKILL until its parent, here the machine's init, reaps it.
     */
    static Optional<Character> state(long pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (IOException e) {
            return Optional.empty(); // no such file, or ESRCH: the process ended before or while it was read
        }
        // pid (comm) state ...: comm may hold spaces and parentheses, so read after the last ')'
        char state = stat.charAt(stat.lastIndexOf(')') + 2);
        return state == 'Z' || state == 'X' ? Optional.empty() : Optional.of(state);
    }

    private static boolean alive(ProcessHandle process) {
        return process.isAlive() && state(process.pid()).isPresent();
    }

    /**
     * Sends a signal to each process. A process that ended meanwhile makes {@code kill} fail with "No such
     * process", which is harmless (the callers check the states in {@code /proc}); any other failure is not.
     */
    private static void signal(String name, List<Long> pids) throws IOException {
        List<String> command = Stream.concat(Stream.of("kill", "-s", name), pids.stream().map(String::valueOf))
                .toList();
        Commands.Result result = Commands.run(LIMIT, command);
        if (!result.succeeded() && !result.output().lines().allMatch(line -> line.endsWith("No such process"))) {
            throw new IOException("exit status " + result.status() + " from " + String.join(" ", command) + ": "
                    + result.output());
        }
    }
}
