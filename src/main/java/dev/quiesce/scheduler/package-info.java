/**
 * Recurring schedules from configuration, fired through the {@code JobSubmitter} (paused, resumed and
 * triggered by hand, the pauses kept in the store), and housekeeping (the retention purge), with
 * {@code SchedulerStopLifecycle}; it may use {@code jobs}, {@code store},
 * {@code lifecycle} and {@code config}.
 */
package dev.quiesce.scheduler;
