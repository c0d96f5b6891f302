package dev.quiesce.ops;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

import dev.quiesce.config.QuiesceProperties;

/**
 * Opens exactly what the contract opens: health, info, prometheus and lifecycle on Actuator, the lifecycle
 * view, the console and the API description; the job API unless a token is set. Every other Actuator
 * endpoint (shutdown included) needs HTTP Basic as {@code admin}; with no password set there is no such
 * user and they answer 401 to everyone. The console is served with headers that keep it from being framed,
 * sniffed or made to run anything but its own script.
 *
 * <p>Each chain covers only the paths it guards, matched by Spring Security's path patterns: the same parser
 * and the same decoded, normalised path Spring MVC routes by ({@code /%6Aobs} is {@code /jobs} to both).
 * Requests no chain covers still pass Spring Security's {@code StrictHttpFirewall}, which refuses with 400
 * what the two could read differently: encoded slashes, periods, backslashes and percent signs, {@code ;},
 * {@code //}, dot segments and control characters. Everything else is open and skips Spring Security's
 * filters altogether, which on {@code POST /jobs} (open by default) cost about a third of the request's CPU
 * time.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Actuator's base path and everything under it: the only part that can need an admin. */
    private static final String[] ACTUATOR = { "/actuator", "/actuator/**" };
    /** The realm named by the challenge of every 401: Basic on Actuator, Bearer on the job API. */
    private static final String REALM = "quiesce";
    /** The job API, every path of it present and future: guarded only when a token is set. */
    private static final String[] JOB_API = { "/jobs", "/jobs/**", "/schedules", "/schedules/**", "/instances",
            "/instances/**" };
    /** The console: its page (also served as the welcome page {@code /}) and the files it loads. */
    private static final String[] CONSOLE = { "/", "/index.html", "/console/**" };
    /**
     * The console's page loads its script and style from its own origin and talks to it alone ({@code fetch},
     * {@code EventSource}); nothing inline runs, nothing may frame it.
     */
    static final String CONSOLE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** The job API's chain without a token: it matches no request, so the open job API skips the chain. */
    private static final RequestMatcher NO_REQUEST = request -> false;

    /**
     * With a token set, every path of the job API needs it; anything else is a 401 with the Bearer challenge.
     * The chain is there with or without a token (under AOT the beans are fixed at build time, the token is
     * read at run time); without one it matches nothing.
     */
    @Bean
    @Order(1)
    SecurityFilterChain jobApiSecurity(HttpSecurity http, QuiesceProperties properties) throws Exception {
        if (properties.api().hasToken()) {
            http.securityMatcher(JOB_API)
                    .addFilterAt(new ApiTokenFilter(properties.api().token()), BasicAuthenticationFilter.class);
        } else {
            http.securityMatcher(NO_REQUEST);
        }
        stateless(http)
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(ChallengeEntryPoint.bearer(REALM)))
                .authorizeHttpRequests(requests -> requests.anyRequest().hasAuthority(ApiTokenFilter.AUTHORITY));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain actuatorSecurity(HttpSecurity http) throws Exception {
        // One entry point for the Basic filter (wrong credentials) and for access denied to anonymous requests
        // (none), so that every 401 of the chain carries the challenge.
        ChallengeEntryPoint challenge = ChallengeEntryPoint.basic(REALM);
        stateless(http.securityMatcher(ACTUATOR))
                .httpBasic(basic -> basic.authenticationEntryPoint(challenge))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(challenge))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus", "lifecycle")).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("ADMIN")
                        .anyRequest().hasRole("ADMIN"));
        return http.build();
    }

    /** Open to all; the chain is there for its headers. Static files keep their own caching headers. */
    @Bean
    @Order(3)
    SecurityFilterChain consoleSecurity(HttpSecurity http) throws Exception {
        stateless(http.securityMatcher(CONSOLE))
                .headers(headers -> headers
                        .contentSecurityPolicy(policy -> policy.policyDirectives(CONSOLE_POLICY))
                        .frameOptions(frames -> frames.deny())
                        .cacheControl(cache -> cache.disable()))
                .authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        return http.csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable());
    }

    @Bean
    UserDetailsService adminUser(QuiesceProperties properties) {
        InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
        if (properties.admin().hasPassword()) {
            users.createUser(User.withUsername("admin").password("{noop}" + properties.admin().password())
                    .roles("ADMIN").build());
        }
        return users;
    }
}
