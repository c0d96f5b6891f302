/**
 * The stop kernel: {@code ShutdownCoordinator} (begins once, owns the one {@code Deadline}), the phases and
 * their order, the lifecycle state and its snapshots, the shutdown report, the signals and the exit status, and
 * the thin {@code *Lifecycle} adapters; it may use {@code config} only.
 */
package dev.quiesce.lifecycle;
