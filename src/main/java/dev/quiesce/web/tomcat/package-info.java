/**
 * Tomcat's side of the web layer, the only code that speaks to Tomcat's container: its error answers as
 * problem+json, closing the connection after a refused body, and virtual request threads decided at start;
 * it may use {@code web} and {@code config}.
 */
package dev.quiesce.web.tomcat;
