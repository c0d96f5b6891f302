package dev.quiesce.store;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import dev.quiesce.lifecycle.ShutdownReportStore;
import dev.quiesce.lifecycle.StoreHealth;
import tools.jackson.databind.json.JsonMapper;

/** Real stores for tests: a SQLite file migrated by Flyway, as the service makes it. */
public final class TestStores {

    /** The store's timeout in tests: generous, a loaded machine is not a faulty store. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private TestStores() {
    }

    /** A store and what must be closed after the test. */
    public record Opened(JobStore jobs, ShutdownReportStore reports, HikariDataSource dataSource)
            implements AutoCloseable {
        @Override
        public void close() {
            jobs.close(1_000);
            dataSource.close();
        }
    }

    public static Opened sqlite(Path file) {
        return sqlite(file, Clock.systemUTC());
    }

    /** A SQLite store that tells the time (of its queued counts) by {@code clock}. */
    public static Opened sqlite(Path file, Clock clock) {
        return open("jdbc:sqlite:" + file.toAbsolutePath(), clock);
    }

    /** A store on a PostgreSQL database (see {@code testing.Postgres}). */
    public static Opened postgres(String jdbcUrl) {
        return open(jdbcUrl);
    }

    /** A PostgreSQL store that tells the time (of its queued counts) by {@code clock}. */
    public static Opened postgres(String jdbcUrl, Clock clock) {
        return open(jdbcUrl, clock);
    }

    /** Another store on the same database: a second instance of a fleet. */
    public static Opened open(String jdbcUrl) {
        return open(jdbcUrl, Clock.systemUTC());
    }

    private static Opened open(String jdbcUrl, Clock clock) {
        return open(jdbcUrl, clock, TIMEOUT, new StoreHealth(Clock.systemUTC(), Duration.ZERO));
    }

    /** A store whose calls wait at most {@code timeout} and tell {@code health} how the database answers. */
    public static Opened open(String jdbcUrl, Duration timeout, StoreHealth health) {
        return open(jdbcUrl, Clock.systemUTC(), timeout, health);
    }

    private static Opened open(String jdbcUrl, Clock clock, Duration timeout, StoreHealth health) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl);
        dataSource.setMaximumPoolSize(4);
        new DataSourceSetup(timeout, StoreConfiguration::dialectFor).setUp(dataSource);
        SqlDialect dialect = StoreConfiguration.dialectFor(jdbcUrl).orElseThrow();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + dialect.name()).load()
                .migrate();
        StoreCalls calls = new StoreCalls(dataSource, StoreConfiguration.MAX_BATCH, health, timeout);
        JdbcJobStore store = new JdbcJobStore(calls, dataSource, dialect, clock);
        return new Opened(store, new JdbcShutdownReports(calls, JsonMapper.builder().build()), dataSource);
    }
}
