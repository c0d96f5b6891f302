package dev.quiesce.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

import dev.quiesce.web.Problems;

/**
 * With {@code quiesce.api.token} set, the job API ({@code /jobs}, {@code /schedules}) requires
 * {@code Authorization: Bearer <token>}; anything else is a 401 problem with the challenge
 * {@code WWW-Authenticate: Bearer realm="<realm>"} (RFC 6750, section 3). Compared in constant time.
 */
final class ApiTokenFilter extends OncePerRequestFilter {

    private final byte[] expected;
    private final String challenge;

    ApiTokenFilter(String token, String realm) {
        this.expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.challenge = "Bearer realm=\"" + realm + "\"";
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/jobs") || path.startsWith("/jobs/") || path.equals("/schedules"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader("Authorization");
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            response.setHeader("WWW-Authenticate", challenge);
            Problems.write(response, 401, "Unauthorized", "a valid bearer token is required");
            return;
        }
        chain.doFilter(request, response);
    }
}
