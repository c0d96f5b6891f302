package dev.quiesce.web;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import dev.quiesce.jobs.CancelResult;
import dev.quiesce.jobs.Job;
import dev.quiesce.jobs.JobStatus;
import dev.quiesce.jobs.JobSubmitter;
import dev.quiesce.jobs.JobSubmitter.Accepted;
import dev.quiesce.jobs.JobSubmitter.KeyConflict;
import dev.quiesce.jobs.JobSubmitter.Refused;
import dev.quiesce.jobs.JobSubmitter.SubmitOutcome;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.requests.JobCanceller;
import dev.quiesce.requests.JobQueries;
import dev.quiesce.store.StoreUnavailableException;
import tools.jackson.databind.JsonNode;

/** The job API of the contract; its OpenAPI description is on {@link JobApi}. */
@RestController
final class JobController implements JobApi {

    static final int MAX_BODY_BYTES = 64 * 1024;
    static final int MAX_WAIT_MS = 30_000;
    static final int MAX_LIMIT = 1000;
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_TYPE_LENGTH = 100;
    /** Beyond a long poll's wait and one read: the contract answers every request within the store's timeout + 0.5 s. */
    static final Duration POLL_BACKSTOP_MARGIN = Duration.ofMillis(500);

    private final JobSubmitter submitter;
    private final JobQueries queries;
    private final JobCanceller canceller;
    private final JobViewWriter views;

    JobController(JobSubmitter submitter, JobQueries queries, JobCanceller canceller, JobViewWriter views) {
        this.submitter = submitter;
        this.queries = queries;
        this.canceller = canceller;
        this.views = views;
    }

    @PostMapping(path = "/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Override
    public ResponseEntity<?> submit(HttpServletRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) throws IOException {
        JsonNode body = parse(BoundedBody.read(request, MAX_BODY_BYTES));
        SubmitOutcome outcome = submitter.submit(typeOf(body), body.get("params"), SubmitOptionsReader.read(body),
                Optional.ofNullable(idempotencyKey));
        if (outcome instanceof Accepted accepted) {
            Job job = accepted.job();
            return views.body(ResponseEntity.status(accepted.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
                    .location(URI.create("/jobs/" + job.id())),
                    accepted.created() ? job : queries.shown(job)); // one store call per request: bounded once
        }
        if (outcome instanceof KeyConflict conflict) {
            return Problems.response(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                    "the Idempotency-Key was used for job " + conflict.existing().id() + " with a different body");
        }
        return Problems.refused(((Refused) outcome).reason());
    }

    private static JsonNode parse(byte[] bytes) {
        if (bytes.length == 0) {
            throw InvalidJobException.of("body", "must be a JSON object {\"type\": ..., \"params\": {...}}");
        }
        JsonNode body = JsonBody.read(bytes);
        if (body == null || !body.isObject()) {
            throw InvalidJobException.of("body", "must be a JSON object {\"type\": ..., \"params\": {...}}");
        }
        for (String field : body.propertyNames()) {
            if (!field.equals("type") && !field.equals("params") && !SubmitOptionsReader.FIELDS.contains(field)) {
                throw InvalidJobException.of(field, "unknown field");
            }
        }
        return body;
    }

    private static String typeOf(JsonNode body) {
        JsonNode type = body.get("type");
        if (type == null || type.isNull()) {
            throw InvalidJobException.of("type", "is required");
        }
        if (!type.isString()) {
            throw InvalidJobException.of("type", "must be a string");
        }
        return type.asString();
    }

    @GetMapping("/jobs/{id}")
    @Override
    public Object get(@PathVariable String id, @RequestParam(required = false) String waitMs) {
        if (waitMs == null) {
            return answer(id, queries.find(id));
        }
        // A long poll holds no request thread while it waits (Spring MVC async): on Java 17 Tomcat's 200
        // platform threads would otherwise be 200 polls. See LongPolls.
        Duration wait = Duration.ofMillis(intParam("waitMs", waitMs, 0, MAX_WAIT_MS));
        CompletableFuture<Optional<Job>> job = queries.await(id, wait);
        // A backstop only (and instead of Tomcat's 30 s async default, which a 30 s poll would meet): the poll
        // answers by itself at most one read after its wait; past that the store is not answering.
        DeferredResult<ResponseEntity<?>> answer = new DeferredResult<>(
                wait.plus(queries.readTimeout()).plus(POLL_BACKSTOP_MARGIN).toMillis());
        answer.onTimeout(() -> answer.setErrorResult(
                new StoreUnavailableException("the job store did not answer the long poll in time")));
        answer.onCompletion(() -> job.cancel(false)); // timed out, or the client went away: stop watching
        job.whenComplete((found, failure) -> {
            if (failure == null) {
                answer.setResult(answer(id, found));
            } else {
                answer.setErrorResult(failure instanceof CompletionException wrapped && wrapped.getCause() != null
                        ? wrapped.getCause() : failure);
            }
        });
        return answer;
    }

    private ResponseEntity<?> answer(String id, Optional<Job> job) {
        return job.<ResponseEntity<?>>map(found -> views.body(ResponseEntity.ok(), found))
                .orElseGet(() -> notFound(id));
    }

    @GetMapping("/jobs")
    @Override
    public JobPage list(@RequestParam(required = false) String status, @RequestParam(required = false) String type,
            @RequestParam(required = false) String limit, @RequestParam(required = false) String cursor) {
        JobStatus wanted = status == null ? null : statusParam(status);
        String ofType = type == null ? null : typeParam(type);
        int size = limit == null ? DEFAULT_LIMIT : intParam("limit", limit, 1, MAX_LIMIT);
        String beforeId = cursor == null ? null : Cursor.lastId(cursor);
        List<Job> jobs = queries.list(wanted, ofType, beforeId, size + 1);
        boolean more = jobs.size() > size;
        List<Job> page = more ? jobs.subList(0, size) : jobs;
        // A job whose outcome is decided but not yet written (at most one flush interval) shows its new status:
        // it is listed under that one and left out of a page for its stored one. The cursor follows the rows
        // either way, so paging stays exact.
        return new JobPage(page.stream().filter(job -> wanted == null || job.status() == wanted)
                .map(JobView::of).toList(), more ? Cursor.after(page.get(page.size() - 1).id()) : null);
    }

    @DeleteMapping("/jobs/{id}")
    @Override
    public ResponseEntity<?> cancel(@PathVariable String id) {
        CancelResult result = canceller.cancel(id);
        return switch (result.outcome()) {
            case NOT_FOUND -> notFound(id);
            case ALREADY_FINISHED -> Problems.response(HttpStatus.CONFLICT, "Job already finished",
                    "job " + id + " already finished" + (result.job() == null ? "" : " as " + result.job().status()));
            case CANCELLED, REQUESTED -> views.body(ResponseEntity.accepted(), queries.shown(result.job()));
        };
    }

    private static ResponseEntity<?> notFound(String id) {
        return Problems.response(HttpStatus.NOT_FOUND, "Job not found",
                "no job with id '" + Problems.printable(id) + "'");
    }

    /** A type name to filter by: any name a type could have (an unknown one simply matches nothing). */
    private static String typeParam(String text) {
        if (text.isEmpty() || text.length() > MAX_TYPE_LENGTH || !text.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new BadRequestException("type", "must be 1 to " + MAX_TYPE_LENGTH + " printable ASCII characters");
        }
        return text;
    }

    private static JobStatus statusParam(String text) {
        try {
            return JobStatus.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status", "must be one of " + List.of(JobStatus.values()));
        }
    }

    static int intParam(String name, String text, int min, int max) {
        int value;
        try {
            value = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new BadRequestException(name, "must be an integer from " + min + " to " + max);
        }
        if (value < min || value > max) {
            throw new BadRequestException(name, "must be an integer from " + min + " to " + max);
        }
        return value;
    }

}
