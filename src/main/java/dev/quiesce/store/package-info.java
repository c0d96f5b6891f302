/**
 * The queue of record: the {@code JobStore} port and its JDBC implementation (claims, outcomes, leases,
 * the poison rule), every call bounded, writes through the group-commit {@code StoreWriter}, the shutdown
 * reports' and the heartbeats' tables and the {@code SqlDialect} SPI, whose implementations only
 * {@code StoreConfiguration} picks; it may use {@code jobs}, {@code lifecycle} and {@code config}.
 */
package dev.quiesce.store;
