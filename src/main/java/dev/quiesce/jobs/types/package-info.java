/**
 * The extension point and the registry that validates and runs job types: {@code JobType}, the
 * {@code JobContext} a run gets, the catalog {@code JobTypes} with its strict JSON reading and validation
 * ({@code ValidJob}, {@code InvalidJobException}), and the executor of jobs' parts; it may use the domain
 * ({@code jobs}) and {@code config}, never the built-in types.
 */
package dev.quiesce.jobs.types;
