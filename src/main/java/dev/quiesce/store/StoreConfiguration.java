package dev.quiesce.store;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import dev.quiesce.lifecycle.StoreHealth;
import dev.quiesce.store.postgres.PostgresDialect;
import dev.quiesce.store.sqlite.SqliteDialect;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the store: picks the dialect by the data source's URL (the one place that names the dialects), then
 * the group-commit store, the shutdown reports and the store's lifecycle.
 */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    /** Largest group commit; SQLite gains little past a few hundred rows per commit. */
    static final int MAX_BATCH = 512;

    /** The databases this version can use. */
    private static final List<SqlDialect> DIALECTS = List.of(new SqliteDialect(), new PostgresDialect());

    /** The dialect of a JDBC URL, if it names a database this version can use. */
    static Optional<SqlDialect> dialectFor(String url) {
        return DIALECTS.stream().filter(dialect -> url != null && url.startsWith(dialect.urlPrefix())).findFirst();
    }

    /** Static and bound by hand: a post-processor is created before configuration properties beans. */
    @Bean
    static BeanPostProcessor dataSourceSetup(Environment environment) {
        return new DataSourceSetup(Binder.get(environment).bind("quiesce.store.timeout", Duration.class)
                .orElse(QuiesceProperties.Store.DEFAULT_TIMEOUT), StoreConfiguration::dialectFor);
    }

    @Bean
    @DependsOnDatabaseInitialization
    StoreCalls storeCalls(DataSource dataSource, StoreHealth storeHealth, QuiesceProperties properties) {
        return new StoreCalls(dataSource, MAX_BATCH, storeHealth, properties.store().timeout());
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcJobStore jobStore(StoreCalls calls, DataSource dataSource, DataSourceProperties dataSourceProperties,
            Clock clock) {
        String url = dataSourceProperties.determineUrl();
        SqlDialect dialect = dialectFor(url).orElseThrow(() -> new UnsupportedStoreException(url));
        return new JdbcJobStore(calls, dataSource, dialect, clock);
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcShutdownReports shutdownReports(StoreCalls calls, JsonMapper jsonMapper) {
        return new JdbcShutdownReports(calls, jsonMapper);
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcSchedulePauses schedulePauses(StoreCalls calls) {
        return new JdbcSchedulePauses(calls);
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcInstances instanceStore(StoreCalls calls) {
        return new JdbcInstances(calls);
    }

    @Bean
    ShutdownReportLog shutdownReportLog(JdbcShutdownReports reports) {
        return new ShutdownReportLog(reports);
    }

    @Bean
    StoreLifecycle storeLifecycle(JdbcJobStore store, JdbcShutdownReports reports, ShutdownCoordinator coordinator,
            Clock clock, QuiesceProperties properties) {
        StoreProbe probe = new StoreProbe(store, StoreProbe.interval(properties.store().timeout()));
        return new StoreLifecycle(store, reports, probe, coordinator, clock, properties.jobs().maxAttempts());
    }
}
