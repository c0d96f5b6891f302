/**
 * The stop kernel: {@code ShutdownCoordinator} (begins once, owns the one {@code Deadline}), the phases and
 * their order, the lifecycle state and its snapshots, the shutdown report, the signals and the exit status,
 * this instance's heartbeat with the fleet as last seen ({@code Heartbeat}, kept through the {@code InstanceStore}
 * port), and the thin {@code *Lifecycle} adapters; it may use {@code config} only.
 */
package dev.quiesce.lifecycle;
