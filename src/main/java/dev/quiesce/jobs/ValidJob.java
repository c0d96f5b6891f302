package dev.quiesce.jobs;

import java.time.Duration;
import java.util.Optional;

/** A checked job request: its type, its params as canonical JSON text, and its expected run time if known. */
public record ValidJob(String type, String params, Optional<Duration> expectedDuration) {
}
