package dev.quiesce.store;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import dev.quiesce.lifecycle.ShutdownReportStore;
import tools.jackson.databind.json.JsonMapper;

/** Real stores for tests: a SQLite file migrated by Flyway, as the service makes it. */
public final class TestStores {

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
        return open(SqliteDataSourceSetup.PREFIX + file.toAbsolutePath());
    }

    /** A store on a PostgreSQL database (see {@code testing.Postgres}). */
    public static Opened postgres(String jdbcUrl) {
        return open(jdbcUrl);
    }

    /** Another store on the same database: a second instance of a fleet. */
    public static Opened open(String jdbcUrl) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(jdbcUrl);
        dataSource.setMaximumPoolSize(4);
        new SqliteDataSourceSetup().postProcessBeforeInitialization(dataSource, "dataSource");
        SqlDialect dialect = SqlDialect.forUrl(jdbcUrl);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/" + dialect.name()).load()
                .migrate();
        JdbcJobStore store = new JdbcJobStore(dataSource, dialect, StoreConfiguration.MAX_BATCH,
                JsonMapper.builder().build());
        return new Opened(store, store, dataSource);
    }
}
