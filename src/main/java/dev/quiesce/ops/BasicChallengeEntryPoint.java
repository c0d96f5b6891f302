package dev.quiesce.ops;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import dev.quiesce.web.Problems;

/**
 * Answers every request the admin's HTTP Basic refuses (no credentials, wrong ones, or no password set) with
 * {@code 401}, the challenge {@code WWW-Authenticate: Basic realm="<realm>"} (RFC 9110) and a problem+json body.
 *
 * <p>The body is written here rather than through {@code sendError}: the error page resets the response to
 * drop whatever a failed request left in it, and that reset takes the challenge with it. And unlike Spring
 * Security's default for HTTP Basic, {@code X-Requested-With: XMLHttpRequest} requests get the challenge too.
 */
final class BasicChallengeEntryPoint implements AuthenticationEntryPoint {

    private final String challenge;

    BasicChallengeEntryPoint(String realm) {
        this.challenge = "Basic realm=\"" + realm + "\"";
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException refused) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        Problems.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", "authentication required");
    }
}
