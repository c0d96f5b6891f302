package dev.quiesce.web;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.RunOptions;

/** A job as the API shows it; {@code params} and {@code result} are the stored JSON, inlined. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record JobView(String id, String type, @JsonRawValue @Schema(type = "object") String params,
        @Schema(allowableValues = { "SCHEDULED", "QUEUED", "RUNNING", "SUCCEEDED", "FAILED", "CANCELLED" })
        String status,
        int attempts, Instant submittedAt, Instant startedAt, Instant finishedAt,
        @JsonRawValue @Schema(type = "object") String result, String error,
        String idempotencyKey, String instance, Instant runAt, int priority, Long timeoutMs, int retries,
        int failures) {

    static JobView of(Job job) {
        RunOptions options = job.options();
        return new JobView(job.id(), job.type(), job.params(), job.status().name(), job.attempts(),
                job.submittedAt(), job.startedAt(), job.finishedAt(), job.result(), job.error(),
                job.idempotencyKey(), job.instance(), options.runAt(), options.priority(),
                options.timeout() == null ? null : options.timeout().toMillis(), options.retries(), job.failures());
    }
}
