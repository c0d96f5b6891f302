package dev.quiesce.jobs;

/** A checked job request: its type and its params as canonical JSON text. */
public record ValidJob(String type, String params) {
}
