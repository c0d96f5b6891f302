/**
 * The application's entry point, {@code QuiesceApplication} and its {@code main}, and nothing else; every
 * other package is found by Spring's scanning from here.
 */
package dev.quiesce;
