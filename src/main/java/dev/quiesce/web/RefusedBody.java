package dev.quiesce.web;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The mark on a request whose body was refused unread (413, a body whose framing is broken): Tomcat's side
 * ({@code web.tomcat.RefusedBodyValve}) then closes the connection after the answer instead of reading the rest.
 */
public final class RefusedBody {

    private static final String REFUSED = RefusedBody.class.getName() + ".refused";

    private RefusedBody() {
    }

    /** The body of this request is refused: close the connection after the answer instead of reading on. */
    static void mark(HttpServletRequest request) {
        request.setAttribute(REFUSED, Boolean.TRUE);
    }

    public static boolean isMarked(HttpServletRequest request) {
        return request.getAttribute(REFUSED) != null;
    }
}
