package dev.quiesce.ops;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

import dev.quiesce.web.Problems;

/**
 * Answers every request a chain refuses for want of credentials with {@code 401}, one challenge
 * {@code WWW-Authenticate: <scheme> realm="<realm>"} (RFC 9110, section 11.6.1; RFC 6750, section 3 for
 * Bearer) and a problem+json body: Basic for the admin's Actuator endpoints, Bearer for the job API.
 *
 * <p>The body is written here rather than through {@code sendError}: the error page resets the response to
 * drop whatever a failed request left in it, and that reset takes the challenge with it. And unlike Spring
 * Security's default for HTTP Basic, {@code X-Requested-With: XMLHttpRequest} requests get the challenge too.
 */
final class ChallengeEntryPoint implements AuthenticationEntryPoint {

    private final String challenge;
    private final String detail;

    private ChallengeEntryPoint(String scheme, String realm, String detail) {
        this.challenge = scheme + " realm=\"" + realm + "\"";
        this.detail = detail;
    }

    /** The admin's HTTP Basic: no credentials, wrong ones, or no password set. */
    static ChallengeEntryPoint basic(String realm) {
        return new ChallengeEntryPoint("Basic", realm, "authentication required");
    }

    /** The job API's bearer token: none, or not the one set. */
    static ChallengeEntryPoint bearer(String realm) {
        return new ChallengeEntryPoint("Bearer", realm, "a valid bearer token is required");
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException refused) throws IOException {
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        Problems.write(response, HttpServletResponse.SC_UNAUTHORIZED, "Unauthorized", detail);
    }
}
