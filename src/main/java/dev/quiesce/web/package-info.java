/**
 * The HTTP API: the package-private controllers, their request and response bodies (read bounded, and
 * before the request goes on) and a problem+json answer for every error; it may use {@code jobs},
 * {@code store} (its exceptions), {@code requests}, {@code scheduler}, {@code lifecycle} and {@code config},
 * not {@code pool}, and none of its own sub-packages.
 */
package dev.quiesce.web;
