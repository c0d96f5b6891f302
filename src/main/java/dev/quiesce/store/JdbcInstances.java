package dev.quiesce.store;

import static dev.quiesce.store.JobRows.update;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.quiesce.lifecycle.InstanceBeat;
import dev.quiesce.lifecycle.InstanceStore;
import dev.quiesce.lifecycle.LifecycleState;

/**
 * The heartbeats in SQL: one row per instance, an upsert both databases speak alike, through the same bounded
 * calls as the jobs (writes in the group commit, reads on a reader thread).
 */
final class JdbcInstances implements InstanceStore {

    private static final String UPSERT = "INSERT INTO instances (id, state, started_at, last_seen_at, running, "
            + "version) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state, "
            + "started_at = excluded.started_at, last_seen_at = excluded.last_seen_at, running = excluded.running, "
            + "version = excluded.version";

    private final StoreCalls calls;

    JdbcInstances(StoreCalls calls) {
        this.calls = calls;
    }

    @Override
    public void beat(InstanceBeat beat, Duration wait) {
        calls.write(tx -> update(tx.connection, UPSERT, beat.id(), beat.state().name(),
                beat.startedAt().toEpochMilli(), beat.lastSeenAt().toEpochMilli(), beat.running(), beat.version()),
                wait, null);
    }

    @Override
    public List<InstanceBeat> seenSince(Instant since, Duration wait) {
        return calls.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT id, state, started_at, "
                    + "last_seen_at, running, version FROM instances WHERE last_seen_at >= ? ORDER BY id")) {
                select.setLong(1, since.toEpochMilli());
                List<InstanceBeat> beats = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        beats.add(new InstanceBeat(rows.getString("id"),
                                LifecycleState.valueOf(rows.getString("state")),
                                Instant.ofEpochMilli(rows.getLong("started_at")),
                                Instant.ofEpochMilli(rows.getLong("last_seen_at")), rows.getLong("running"),
                                rows.getString("version")));
                    }
                }
                return List.copyOf(beats);
            }
        }, wait);
    }

    @Override
    public int forgetSilentBefore(Instant before, Duration wait) {
        return calls.write(tx -> update(tx.connection, "DELETE FROM instances WHERE last_seen_at < ?",
                before.toEpochMilli()), wait, null);
    }
}
