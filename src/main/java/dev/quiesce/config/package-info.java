/**
 * The settings ({@code QuiesceProperties}, typed and validated at start) and the {@code Clock} every deadline is
 * computed from; it uses no other package of ours, and every package may use it.
 */
package dev.quiesce.config;
