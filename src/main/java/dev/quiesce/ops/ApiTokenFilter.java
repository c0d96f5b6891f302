package dev.quiesce.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * Authenticates a request of the job API's chain that carries {@code Authorization: Bearer <token>} with the
 * token set in {@code quiesce.api.token} (RFC 6750, section 2.1; the scheme in any case, RFC 9110, section
 * 11.1), as the client holding {@link #AUTHORITY}. It refuses nothing itself: a request without the token goes
 * on unauthenticated, and the chain's authorization answers it with the Bearer challenge. The token is
 * compared in constant time, and the authentication holds no copy of it.
 *
 * <p>A plain filter rather than a once-per-request one: an async or error dispatch of the same request passes
 * the chain again and must be authenticated again (the chain keeps no session).
 */
final class ApiTokenFilter implements Filter {

    /** The authority the job API's chain requires. */
    static final String AUTHORITY = "JOB_API";

    private static final String SCHEME = "Bearer";
    private static final List<GrantedAuthority> AUTHORITIES = List.of(new SimpleGrantedAuthority(AUTHORITY));

    private final byte[] expected;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiTokenFilter(String token) {
        this.expected = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        byte[] given = bearerToken(((HttpServletRequest) request).getHeader(HttpHeaders.AUTHORIZATION));
        // MessageDigest.isEqual takes time that depends on the length of its first argument only
        if (given != null && MessageDigest.isEqual(expected, given)) {
            SecurityContext context = contexts.createEmptyContext();
            context.setAuthentication(new PreAuthenticatedAuthenticationToken("api-token", null, AUTHORITIES));
            contexts.setContext(context);
        }
        chain.doFilter(request, response);
    }

    /** The credentials of {@code Bearer <token>} (the scheme in any case, then one or more spaces), or null. */
    static byte[] bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= SCHEME.length()
                || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                || authorization.charAt(SCHEME.length()) != ' ') {
            return null;
        }
        int start = SCHEME.length();
        while (start < authorization.length() && authorization.charAt(start) == ' ') {
            start++;
        }
        return authorization.substring(start).getBytes(StandardCharsets.UTF_8);
    }
}
