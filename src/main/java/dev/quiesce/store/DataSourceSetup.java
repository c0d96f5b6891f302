package dev.quiesce.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.quiesce.config.InvalidConfigurationException;

/**
 * Makes the data source ready for our use whatever URL the user gave.
 *
 * <p>Every wait on the database is bounded by {@code quiesce.store.timeout}: a connection from the pool
 * (Hikari's {@code connectionTimeout}, 30 s by default), opening one (PostgreSQL's {@code connectTimeout} and
 * {@code loginTimeout}), an answer on an open one (PostgreSQL's {@code socketTimeout}: a stalled or partitioned
 * server otherwise holds a thread forever; twice the timeout, since callers give up after one timeout anyway and
 * this only frees the thread), and SQLite's {@code busy_timeout} (10 s here before: longer than a stop's
 * budget). Settings the user gave in the URL or as data source properties win.
 *
 * <p>SQLite: the folder exists, WAL journal (readers do not wait for the writer), {@code synchronous=NORMAL} (in
 * WAL mode a commit survives a kill -9: it is in the OS page cache; FULL would also survive power loss).
 */
final class DataSourceSetup implements BeanPostProcessor {

    static final String SQLITE = "jdbc:sqlite:";
    static final String POSTGRES = "jdbc:postgresql:";

    private final Duration timeout;

    DataSourceSetup(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            setUp(hikari);
        }
        return bean;
    }

    void setUp(HikariDataSource hikari) {
        String url = hikari.getJdbcUrl();
        long millis = Math.max(250, timeout.toMillis());
        hikari.setConnectionTimeout(millis);
        hikari.setValidationTimeout(Math.max(250, millis / 2));
        if (url.startsWith(SQLITE)) {
            createFolder(url);
            hikari.addDataSourceProperty("journal_mode", "WAL");
            hikari.addDataSourceProperty("synchronous", "NORMAL");
            hikari.addDataSourceProperty("busy_timeout", Long.toString(millis));
            if (hikari.getMaximumPoolSize() > 8) {
                hikari.setMaximumPoolSize(8);
            }
            // Readers open on demand: fewer files to open at start and to close at the end of a stop.
            hikari.setMinimumIdle(Math.min(2, hikari.getMaximumPoolSize()));
        } else if (url.startsWith(POSTGRES)) {
            long seconds = Math.max(1, (millis + 999) / 1000);
            setUnlessGiven(hikari, "connectTimeout", seconds);
            setUnlessGiven(hikari, "loginTimeout", seconds);
            setUnlessGiven(hikari, "socketTimeout", 2 * seconds);
            setUnlessGiven(hikari, "tcpKeepAlive", "true");
        }
    }

    private static void setUnlessGiven(HikariDataSource hikari, String property, Object value) {
        if (!hikari.getJdbcUrl().contains(property + "=")
                && !hikari.getDataSourceProperties().containsKey(property)) {
            hikari.addDataSourceProperty(property, value.toString());
        }
    }

    private static void createFolder(String url) {
        String file = url.substring(SQLITE.length());
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
