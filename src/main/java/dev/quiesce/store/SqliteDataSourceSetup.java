package dev.quiesce.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.quiesce.config.InvalidConfigurationException;

/**
 * Makes a SQLite data source ready for our use whatever URL the user gave: the folder exists, WAL journal
 * (readers do not wait for the writer), {@code synchronous=NORMAL} (in WAL mode a commit survives a kill -9:
 * it is in the OS page cache; FULL would also survive power loss), and a busy timeout as a safety net
 * (our single writer thread should never meet another writer).
 */
final class SqliteDataSourceSetup implements BeanPostProcessor {

    static final String PREFIX = "jdbc:sqlite:";

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null
                && hikari.getJdbcUrl().startsWith(PREFIX)) {
            createFolder(hikari.getJdbcUrl());
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
            hikari.addDataSourceProperty("busy_timeout", "10000");
            if (hikari.getMaximumPoolSize() > 8) {
                hikari.setMaximumPoolSize(8);
            }
            // Readers open on demand: fewer files to open at start and to close at the end of a stop.
            hikari.setMinimumIdle(Math.min(2, hikari.getMaximumPoolSize()));
        }
        return bean;
    }

    private static void createFolder(String url) {
        String file = url.substring(PREFIX.length());
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
            throw new InvalidConfigurationException("spring.datasource.url",
                    "cannot create the folder " + parent + " for the SQLite file: " + e.getMessage());
        }
    }
}
