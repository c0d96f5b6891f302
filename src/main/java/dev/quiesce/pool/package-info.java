/**
 * The bounded worker pool fed from the store: the workers, the claimed-jobs buffer, a job's run and its
 * outcome, the lease keeper, the drain with its admission rule and {@code JobPoolDrainLifecycle}, and the
 * {@code JobWatch} told of every finish; it may use {@code jobs}, {@code store}, {@code lifecycle} and
 * {@code config}.
 */
package dev.quiesce.pool;
