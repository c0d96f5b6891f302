package dev.quiesce.store;

import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells a fault of the store (no connection, a timeout, a full disk, an I/O error) from a refusal of one
 * piece of work (a constraint, a bad value): a fault makes the store DOWN and fails the whole batch; a
 * refusal fails its piece alone.
 */
final class StoreFaults {

    /**
     * SQLSTATE classes of PostgreSQL (and the standard) that say the server cannot serve now: 08 connection,
     * 40 transaction rollback (serialization failure, deadlock: the batch is tried again by its callers, never
     * written off as a refusal), 53 insufficient resources (disk full), 57 operator intervention (statement
     * timeout, shutdown), 58 system error, XX internal.
     */
    private static final Set<String> FAULT_CLASSES = Set.of("08", "40", "53", "57", "58", "XX");
    /** Single SQLSTATEs that say so too: 25006 read-only transaction (a standby, during a failover). */
    private static final Set<String> FAULT_STATES = Set.of("25006");
    /**
     * SQLite primary result codes that say the database cannot serve: BUSY 5, LOCKED 6, NOMEM 7, READONLY 8,
     * IOERR 10, CORRUPT 11, FULL 13, CANTOPEN 14, PROTOCOL 15.
     */
    private static final Set<Integer> SQLITE_FAULTS = Set.of(5, 6, 7, 8, 10, 11, 13, 14, 15);

    private StoreFaults() {
    }

    static boolean isFault(SQLException e) {
        if (e instanceof SQLTimeoutException || e instanceof SQLTransientConnectionException) {
            return true;
        }
        String state = e.getSQLState();
        if (state != null && state.length() >= 2) {
            return FAULT_CLASSES.contains(state.substring(0, 2)) || FAULT_STATES.contains(state);
        }
        // sqlite-jdbc leaves the SQLSTATE empty and reports the (possibly extended) result code
        return SQLITE_FAULTS.contains(e.getErrorCode() & 0xff);
    }
}
