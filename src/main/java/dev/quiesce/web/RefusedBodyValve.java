package dev.quiesce.web;

import java.io.IOException;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

/**
 * After an answer that refused the request's body unread (413, a body whose framing is broken), tells Tomcat
 * not to swallow the rest of it: the connection is closed once the answer is sent. Otherwise Tomcat reads up to
 * {@code maxSwallowSize} of body before the next request, and a client that declared a large body and sends
 * none holds the connection - and a request thread - until the connection timeout.
 */
final class RefusedBodyValve extends ValveBase {

    private static final String REFUSED = RefusedBodyValve.class.getName() + ".refused";

    private RefusedBodyValve() {
        super(true);
    }

    static void install(Context context) {
        context.getPipeline().addValve(new RefusedBodyValve());
    }

    /** The body of this request is refused: close the connection after the answer instead of reading on. */
    static void markRefused(HttpServletRequest request) {
        request.setAttribute(REFUSED, Boolean.TRUE);
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (request.getAttribute(REFUSED) != null) {
            // Tomcat's own move for an aborted upload: no swallowing, and the connection closes after the answer
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}
