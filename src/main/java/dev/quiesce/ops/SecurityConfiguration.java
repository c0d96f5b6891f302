package dev.quiesce.ops;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

import dev.quiesce.config.QuiesceProperties;

/**
 * Opens exactly what the contract opens: health, info, prometheus and lifecycle on Actuator, the lifecycle
 * view, the console and the API description; the job API unless a token is set. Every other Actuator
 * endpoint (shutdown included) needs HTTP Basic as {@code admin}; with no password set there is no such
 * user and they answer 401 to everyone.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    /** Actuator's base path and everything under it: the only part that can need an admin. */
    private static final String[] ACTUATOR = { "/actuator", "/actuator/**" };
    /** The realm named by the challenge of every 401: Basic on Actuator, Bearer on the job API. */
    private static final String REALM = "quiesce";
    /** The job API: guarded only when a token is set. */
    private static final String[] JOB_API = { "/jobs", "/jobs/**", "/schedules", "/schedules/**" };

    /**
     * The chain covers only the paths it guards: Actuator, and the job API when a token is set. Everything
     * else is open and skips Spring Security's filters altogether, which on {@code POST /jobs} (open by
     * default) cost about a third of the request's CPU time.
     */
    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, QuiesceProperties properties) throws Exception {
        // One entry point for the Basic filter (wrong credentials) and for access denied to anonymous requests
        // (none), so that every 401 of the chain carries the challenge.
        BasicChallengeEntryPoint challenge = new BasicChallengeEntryPoint(REALM);
        http.securityMatcher(properties.api().hasToken() ? concat(ACTUATOR, JOB_API) : ACTUATOR)
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .httpBasic(basic -> basic.authenticationEntryPoint(challenge))
                .exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(challenge))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus", "lifecycle")).permitAll()
                        .requestMatchers(EndpointRequest.toAnyEndpoint()).hasRole("ADMIN")
                        .requestMatchers(ACTUATOR).hasRole("ADMIN")
                        .anyRequest().permitAll());
        if (properties.api().hasToken()) {
            http.addFilterBefore(new ApiTokenFilter(properties.api().token(), REALM), BasicAuthenticationFilter.class);
        }
        return http.build();
    }

    private static String[] concat(String[] first, String[] second) {
        String[] both = java.util.Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
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
