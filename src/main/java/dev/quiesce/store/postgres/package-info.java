/**
 * The PostgreSQL dialect: claims that skip the rows other instances hold, and new work announced with
 * {@code NOTIFY}/{@code LISTEN}; it may use {@code store} only.
 */
package dev.quiesce.store.postgres;
