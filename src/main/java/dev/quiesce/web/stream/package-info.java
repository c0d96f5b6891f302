/**
 * {@code GET /lifecycle/stream}: the live lifecycle as Server-Sent Events, ended when the web phase of a
 * stop begins; it may use {@code lifecycle} and {@code config}.
 */
package dev.quiesce.web.stream;
