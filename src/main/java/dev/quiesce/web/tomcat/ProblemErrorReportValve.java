package dev.quiesce.web.tomcat;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import org.springframework.http.HttpStatus;

import dev.quiesce.web.Problems;

/**
 * Tomcat's own error answers - for requests it rejects before any servlet sees them (headers too large, an
 * encoded {@code /} or a NUL in the path) - as problem+json instead of Tomcat's HTML page. Takes the place of
 * the host's {@link ErrorReportValve} (see {@link #install}).
 */
final class ProblemErrorReportValve extends ErrorReportValve {

    /** Replaces every error report valve of the context's host with this one. */
    static void install(Container host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve) {
                host.getPipeline().removeValve(valve);
            }
        }
        host.getPipeline().addValve(new ProblemErrorReportValve());
        if (host instanceof StandardHost standard) {
            // so that the host does not add Tomcat's HTML valve when it starts
            standard.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "Error" : known.getReasonPhrase();
        String detail = status == 400 ? "the request line or headers are malformed or too large" : title;
        try {
            response.reset();
            Problems.write(response, status, title, detail);
            response.finishResponse();
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot be written; nothing more to do
        }
    }
}
