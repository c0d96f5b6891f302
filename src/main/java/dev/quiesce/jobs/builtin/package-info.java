/**
 * The built-in job types ({@code sleep}, {@code compute}, {@code fail}, {@code fanout}) and the configuration
 * that declares them, each a {@code JobType} bean as a user's would be; they may use {@code jobs},
 * {@code jobs.types} and {@code config}, and nothing outside this package uses them.
 */
package dev.quiesce.jobs.builtin;
