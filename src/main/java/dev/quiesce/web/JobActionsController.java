package dev.quiesce.web;

import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.quiesce.jobs.JobStatus;
import dev.quiesce.requests.JobActions;
import dev.quiesce.requests.JobQueries;
import dev.quiesce.store.JobStore.BulkAction;
import dev.quiesce.store.JobStore.RetryResult;

/** The operator's actions on jobs: a retry by hand, bulk retry and cancel by filter. See {@link JobActionsApi}. */
@RestController
final class JobActionsController implements JobActionsApi {

    /** A job type is a short name; anything longer is not one (and is not echoed back whole). */
    static final int MAX_TYPE_LENGTH = 100;

    private final JobActions actions;
    private final JobQueries queries;
    private final JobViewWriter views;

    JobActionsController(JobActions actions, JobQueries queries, JobViewWriter views) {
        this.actions = actions;
        this.queries = queries;
        this.views = views;
    }

    @PostMapping("/jobs/{id}/retry")
    @Override
    public ResponseEntity<?> retry(@PathVariable String id) {
        RetryResult result = actions.retry(id);
        return switch (result.outcome()) {
            case NOT_FOUND -> Problems.response(HttpStatus.NOT_FOUND, "Job not found",
                    "no job with id '" + Problems.printable(id) + "'");
            case NOT_RETRYABLE -> Problems.response(HttpStatus.CONFLICT, "Job not retryable",
                    "job " + id + " is " + result.job().status() + ": only a FAILED or CANCELLED job can be retried");
            case RETRIED -> views.body(ResponseEntity.accepted(), queries.shown(result.job()));
        };
    }

    @PostMapping("/jobs/retry")
    @Override
    public BulkResult retryAll(@RequestParam(required = false) String status,
            @RequestParam(required = false) String type) {
        return BulkResult.of(actions.retryAll(status(BulkAction.RETRY, status), type(type)));
    }

    @PostMapping("/jobs/cancel")
    @Override
    public BulkResult cancelAll(@RequestParam(required = false) String status,
            @RequestParam(required = false) String type) {
        return BulkResult.of(actions.cancelAll(status(BulkAction.CANCEL, status), type(type)));
    }

    /** The status filter, required: one of those {@code action} applies to. */
    private static JobStatus status(BulkAction action, String text) {
        String allowed = "is required: one of " + action.statuses();
        if (text == null || text.isBlank()) {
            throw new BadRequestException("status", allowed);
        }
        try {
            JobStatus status = JobStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
            if (action.applies(status)) {
                return status;
            }
        } catch (IllegalArgumentException e) {
            // answered below, as a status the action does not apply to
        }
        throw new BadRequestException("status", "must be one of " + action.statuses());
    }

    /** The type filter, optional; a type that no job has matches none. */
    private static String type(String text) {
        if (text == null) {
            return null;
        }
        if (text.isBlank() || text.length() > MAX_TYPE_LENGTH) {
            throw new BadRequestException("type", "must be a job type name of 1 to " + MAX_TYPE_LENGTH + " characters");
        }
        return text;
    }
}
