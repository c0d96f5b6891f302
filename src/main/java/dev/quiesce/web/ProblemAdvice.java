package dev.quiesce.web;

import java.io.IOException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.tomcat.util.http.InvalidParameterException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import dev.quiesce.jobs.types.FieldProblem;
import dev.quiesce.jobs.types.InvalidJobException;
import dev.quiesce.store.StoreRejectedException;
import dev.quiesce.store.StoreUnavailableException;

/**
 * Maps every exception to problem+json. Spring MVC's own errors (415, 405, 406, missing parameters...) come
 * through {@link ResponseEntityExceptionHandler} as problem details; ours are mapped here. Nothing echoes a
 * stack trace; an unexpected exception is a 500 with a generic detail, and logged.
 */
@RestControllerAdvice
final class ProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(InvalidJobException.class)
    ResponseEntity<ProblemDetail> invalidJob(InvalidJobException e) {
        return Problems.invalid(e.problems());
    }

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<ProblemDetail> badRequest(BadRequestException e) {
        return Problems.invalid(List.of(new FieldProblem(e.field(), e.getMessage())));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ProblemDetail> typeMismatch(MethodArgumentTypeMismatchException e) {
        return Problems.invalid(List.of(new FieldProblem(e.getName(), "has an invalid value")));
    }

    /**
     * Framed by its {@code Content-Length} and {@code Connection: close}; marked {@link RefusedBody}, so Tomcat
     * then closes the connection without waiting for a body that may never come.
     */
    @ExceptionHandler(PayloadTooLargeException.class)
    void tooLarge(PayloadTooLargeException e, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        RefusedBody.mark(request);
        response.setHeader(HttpHeaders.CONNECTION, "close");
        Problems.write(response, HttpStatus.CONTENT_TOO_LARGE.value(), "Request body too large", e.getMessage());
    }

    /** Tomcat's refusal of a malformed query string (or form) met by whatever read a parameter first. */
    @ExceptionHandler(InvalidParameterException.class)
    void invalidParameters(InvalidParameterException e, HttpServletResponse response) throws IOException {
        QueryStringCheck.QueryStringFilter.refuse(response, e);
    }

    /** Tomcat could not read the body's framing (a bad chunk size): the client's fault, not ours. */
    @ExceptionHandler(org.apache.coyote.BadRequestException.class)
    ResponseEntity<ProblemDetail> malformedBody(org.apache.coyote.BadRequestException e, HttpServletRequest request) {
        log.debug("Refused a malformed request body: {}", Problems.printable(e.getMessage()));
        RefusedBody.mark(request);
        return ResponseEntity.badRequest().header(HttpHeaders.CONNECTION, "close")
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.detail(HttpStatus.BAD_REQUEST, "Invalid request",
                        "the request body is malformed (its chunked framing cannot be read)"));
    }

    /** The store did not serve the request in time: 503, and whether a write may have happened after all. */
    @ExceptionHandler(StoreUnavailableException.class)
    ResponseEntity<ProblemDetail> storeUnavailable(StoreUnavailableException e) {
        log.debug("Store unavailable: {}", e.getMessage()); // StoreHealth logs the fault once, not per request
        return Problems.storeUnavailable(e.unconfirmed()
                ? "the job store did not confirm the write in time: it may or may not have been stored; a retry "
                        + "with the same Idempotency-Key never makes a second job"
                : "the job store is not available; nothing was changed; retry shortly");
    }

    /** The database cannot hold what the request asks to store: not retryable as it is. */
    @ExceptionHandler(StoreRejectedException.class)
    ResponseEntity<ProblemDetail> storeRejected(StoreRejectedException e) {
        log.warn("Store refused a request: {}", e.getMessage());
        return Problems.response(HttpStatus.UNPROCESSABLE_CONTENT, "Not storable",
                "the job store cannot hold this request as it is");
    }

    @ExceptionHandler(InterruptedException.class)
    ResponseEntity<ProblemDetail> interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return Problems.stopping("the request was interrupted by a stop");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "an unexpected error occurred; it has been logged");
    }

    /** Spring MVC's built-in problems: keep their status, give them our type and a problem+json body. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        ProblemDetail problem = body instanceof ProblemDetail given ? given
                : Problems.detail(statusCode, HttpStatus.valueOf(statusCode.value()).getReasonPhrase(),
                        ex.getMessage() == null ? "" : Problems.printable(ex.getMessage()));
        if (problem.getTitle() == null) {
            problem.setTitle(HttpStatus.valueOf(statusCode.value()).getReasonPhrase());
        }
        if (ex instanceof NoResourceFoundException) {
            problem.setDetail("no such resource");
        } else if (problem.getDetail() == null || Problems.namesInternals(problem.getDetail())) {
            problem.setDetail(problem.getTitle());
        }
        if (problem.getType() == null || "about:blank".equals(problem.getType().toString())) {
            problem.setType(Problems.detail(statusCode, problem.getTitle(), "").getType());
        }
        HttpHeaders out = new HttpHeaders();
        out.putAll(headers);
        out.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return new ResponseEntity<>(problem, out, statusCode);
    }
}
