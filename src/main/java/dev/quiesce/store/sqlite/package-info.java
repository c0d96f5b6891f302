/**
 * The SQLite dialect: one process per file, one writer, WAL; it may use {@code store} only.
 */
package dev.quiesce.store.sqlite;
