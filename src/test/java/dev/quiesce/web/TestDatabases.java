package dev.quiesce.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A fresh SQLite file per Spring context, in a temporary folder under {@code target/} (gone with a clean). */
final class TestDatabases {

    private TestDatabases() {
    }

    static String newSqliteUrl(String name) {
        try {
            Path root = Files.createDirectories(Path.of("target", "web-test-dbs"));
            Path folder = Files.createTempDirectory(root, name + "-");
            return "jdbc:sqlite:" + folder.toAbsolutePath().resolve("q.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
