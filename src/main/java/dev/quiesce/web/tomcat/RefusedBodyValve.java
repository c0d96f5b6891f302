package dev.quiesce.web.tomcat;

import java.io.IOException;

import jakarta.servlet.ServletException;

import org.apache.catalina.Context;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.apache.coyote.ActionCode;

import dev.quiesce.web.RefusedBody;

/**
 * After an answer that refused the request's body unread (413, a body whose framing is broken; the web layer
 * marks such a request {@link RefusedBody}), tells Tomcat not to swallow the rest of it: the connection is
 * closed once the answer is sent. Otherwise Tomcat reads up to {@code maxSwallowSize} of body before the next
 * request, and a client that declared a large body and sends none holds the connection - and a request thread -
 * until the connection timeout.
 */
final class RefusedBodyValve extends ValveBase {

    private RefusedBodyValve() {
        super(true);
    }

    static void install(Context context) {
        context.getPipeline().addValve(new RefusedBodyValve());
    }

    @Override
    public void invoke(Request request, Response response) throws IOException, ServletException {
        getNext().invoke(request, response);
        if (RefusedBody.isMarked(request)) {
            // Tomcat's own move for an aborted upload: no swallowing, and the connection closes after the answer
            request.getCoyoteRequest().action(ActionCode.DISABLE_SWALLOW_INPUT, null);
        }
    }
}
