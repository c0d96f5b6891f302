package dev.quiesce.store.sqlite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import dev.quiesce.store.SqlDialect;

/**
 * SQLite: one process per file, one writer (ours), no row locks needed. The data source: the file's folder
 * exists, WAL journal (readers do not wait for the writer), {@code synchronous=NORMAL} (in WAL mode a commit
 * survives a kill -9: it is in the OS page cache; FULL would also survive power loss), and a
 * {@code busy_timeout} of the store's timeout (10 s here before: longer than a stop's budget).
 */
public final class SqliteDialect implements SqlDialect {

    private static final String URL_PREFIX = "jdbc:sqlite:";

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public String urlPrefix() {
        return URL_PREFIX;
    }

    @Override
    public void prepare(HikariDataSource hikari, Duration timeout) {
        createFolder(hikari.getJdbcUrl());
        hikari.addDataSourceProperty("journal_mode", "WAL");
        hikari.addDataSourceProperty("synchronous", "NORMAL");
        hikari.addDataSourceProperty("busy_timeout", Long.toString(timeout.toMillis()));
        if (hikari.getMaximumPoolSize() > 8) {
            hikari.setMaximumPoolSize(8);
        }
        // Readers open on demand: fewer files to open at start and to close at the end of a stop.
        hikari.setMinimumIdle(Math.min(2, hikari.getMaximumPoolSize()));
    }

    private static void createFolder(String url) {
        String file = url.substring(URL_PREFIX.length());
        int query = file.indexOf('?');
        if (query >= 0) {
            file = file.substring(0, query);
        }
        if (file.isEmpty() || file.startsWith(":memory:") || file.startsWith("file:")) {
            return;
        }
        Path parent = Path.of(file).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the folder " + parent + " for the SQLite file: " + e.getMessage(), e);
        }
    }

    @Override
    public String lockClause() {
        return "";
    }

    @Override
    public boolean singleInstance() {
        return true;
    }
}
