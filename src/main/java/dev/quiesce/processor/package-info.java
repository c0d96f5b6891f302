/**
 * Write-behind batching of job outcomes ({@code OutcomeProcessor}) and its flush at a stop; it may use
 * {@code jobs}, {@code store}, {@code lifecycle} and {@code config}.
 */
package dev.quiesce.processor;
