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
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(SqliteDataSourceSetup.PREFIX + file.toAbsolutePath());
        new SqliteDataSourceSetup().postProcessBeforeInitialization(dataSource, "dataSource");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/sqlite").load().migrate();
        JdbcJobStore store = new JdbcJobStore(dataSource, new SqliteDialect(), StoreConfiguration.MAX_BATCH,
                JsonMapper.builder().build());
        return new Opened(store, store, dataSource);
    }
}
