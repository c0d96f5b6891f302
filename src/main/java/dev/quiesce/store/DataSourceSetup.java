package dev.quiesce.store;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;

import dev.quiesce.config.InvalidConfigurationException;

/**
 * Makes the data source ready for our use whatever URL the user gave.
 *
 * <p>Every wait on the database is bounded by {@code quiesce.store.timeout}: a connection from the pool
 * (Hikari's {@code connectionTimeout}, 30 s by default) here, and what only one database has (its connect,
 * socket and busy timeouts) by its {@link SqlDialect#prepare dialect}. Settings the user gave in the URL or as
 * data source properties win. A URL of no database we know is left alone: the store refuses it.
 */
final class DataSourceSetup implements BeanPostProcessor {

    private final Duration timeout;
    private final Function<String, Optional<SqlDialect>> dialects;

    /** {@code dialects} finds the dialect of a JDBC URL, if it is one of a database we know. */
    DataSourceSetup(Duration timeout, Function<String, Optional<SqlDialect>> dialects) {
        this.timeout = timeout;
        this.dialects = dialects;
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource hikari && hikari.getJdbcUrl() != null) {
            setUp(hikari);
        }
        return bean;
    }

    void setUp(HikariDataSource hikari) {
        long millis = Math.max(250, timeout.toMillis());
        hikari.setConnectionTimeout(millis);
        hikari.setValidationTimeout(Math.max(250, millis / 2));
        Optional<SqlDialect> dialect = dialects.apply(hikari.getJdbcUrl());
        try {
            dialect.ifPresent(known -> known.prepare(hikari, Duration.ofMillis(millis)));
        } catch (UncheckedIOException e) {
            throw new InvalidConfigurationException("spring.datasource.url", e.getMessage());
        }
    }
}
