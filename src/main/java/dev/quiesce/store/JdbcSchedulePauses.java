package dev.quiesce.store;

import static dev.quiesce.store.JobRows.update;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/** The paused schedules in SQL, one row each, through the same bounded calls as the jobs. */
final class JdbcSchedulePauses implements SchedulePauses {

    private final StoreCalls calls;

    JdbcSchedulePauses(StoreCalls calls) {
        this.calls = calls;
    }

    @Override
    public Set<String> paused() {
        return calls.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT name FROM schedule_pauses");
                    ResultSet rows = select.executeQuery()) {
                Set<String> names = new HashSet<>();
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
                return Set.copyOf(names);
            }
        });
    }

    @Override
    public void pause(String name, Instant at) {
        // The same statement on both databases (SQLite 3.24+, PostgreSQL 9.5+).
        calls.write(tx -> update(tx.connection,
                "INSERT INTO schedule_pauses (name, paused_at) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name,
                at.toEpochMilli()));
    }

    @Override
    public void resume(String name) {
        calls.write(tx -> update(tx.connection, "DELETE FROM schedule_pauses WHERE name = ?", name));
    }
}
