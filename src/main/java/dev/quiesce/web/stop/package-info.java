/**
 * The web phase of a stop: the markers around Spring Boot's graceful web stop, which first end the long
 * polls, the streams and the bodies still arriving, and cap the graceful stop at what is left of the
 * deadline; it may use {@code web}, {@code web.stream}, {@code requests}, {@code lifecycle} and {@code config}.
 */
package dev.quiesce.web.stop;
