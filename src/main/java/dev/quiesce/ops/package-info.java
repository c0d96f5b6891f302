/**
 * Operating the service: the Actuator lifecycle endpoint, metrics, the store's health indicator (readiness),
 * security, the log guard and the one-line start failure; it may use every package above, to read, and no
 * package uses it.
 */
package dev.quiesce.ops;
