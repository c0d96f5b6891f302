package dev.quiesce.jobs.types;

/** A checked job request: its type and its params as canonical JSON text. */
public record ValidJob(String type, String params) {
}
