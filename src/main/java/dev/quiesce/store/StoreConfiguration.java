package dev.quiesce.store;

import java.time.Clock;

import javax.sql.DataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;
import dev.quiesce.lifecycle.ShutdownCoordinator;
import tools.jackson.databind.json.JsonMapper;

/** Wires the store: the dialect from the URL, the group-commit store, and its lifecycle. */
@Configuration(proxyBeanMethods = false)
class StoreConfiguration {

    /** Largest group commit; SQLite gains little past a few hundred rows per commit. */
    static final int MAX_BATCH = 512;

    @Bean
    static BeanPostProcessor sqliteDataSourceSetup() {
        return new SqliteDataSourceSetup();
    }

    @Bean
    @DependsOnDatabaseInitialization
    JdbcJobStore jobStore(DataSource dataSource, DataSourceProperties dataSourceProperties, JsonMapper jsonMapper) {
        return new JdbcJobStore(dataSource, SqlDialect.forUrl(dataSourceProperties.determineUrl()), MAX_BATCH,
                jsonMapper);
    }

    @Bean
    StoreLifecycle storeLifecycle(JdbcJobStore store, ShutdownCoordinator coordinator, Clock clock,
            QuiesceProperties properties) {
        return new StoreLifecycle(store, coordinator, clock, properties.jobs().maxAttempts());
    }
}
