package dev.quiesce.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.tomcat.util.http.InvalidParameterException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a malformed query string ({@code ?a=%}, {@code ?%zz=1}, more parameters than Tomcat's
 * {@code maxParameterCount}) on every path with a 400 problem, before security or any handler: whichever part
 * reads a parameter first would otherwise meet Tomcat's exception, a 500 with a stack trace in the log, or not
 * meet it at all and answer as if the query were fine.
 */
@Configuration(proxyBeanMethods = false)
class QueryStringCheck {

    /** Right after Spring's character encoding filter, before security ({@code -100}). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

    @Bean
    FilterRegistrationBean<QueryStringFilter> queryStringFilter() {
        FilterRegistrationBean<QueryStringFilter> registration = new FilterRegistrationBean<>(new QueryStringFilter());
        registration.setOrder(ORDER);
        return registration;
    }

    static final class QueryStringFilter extends OncePerRequestFilter {

        private static final Logger log = LoggerFactory.getLogger(QueryStringCheck.class);

        @Override
        protected boolean shouldNotFilter(HttpServletRequest request) {
            // A form post's parameters are in its body: parsing them here would read it, so they are left to
            // whatever reads them (ProblemAdvice answers the same 400 then). No path of ours takes a form.
            return request.getQueryString() == null || isFormPost(request);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            try {
                request.getParameterMap(); // Tomcat parses the query string once, here, and keeps the outcome
            } catch (InvalidParameterException e) {
                refuse(response, e);
                return;
            }
            chain.doFilter(request, response);
        }

        static void refuse(HttpServletResponse response, InvalidParameterException e) throws IOException {
            // debug, one line: a client must not be able to fill the log
            log.debug("Refused a malformed query string: {}", Problems.printable(e.getMessage()));
            int status = e.getErrorCode() >= 400 && e.getErrorCode() < 500 ? e.getErrorCode() : 400;
            Problems.write(response, status, "Invalid request", QueryStringCheck.detail(e));
        }

        private static boolean isFormPost(HttpServletRequest request) {
            String type = request.getContentType();
            return "POST".equals(request.getMethod()) && type != null
                    && type.regionMatches(true, 0, MediaType.APPLICATION_FORM_URLENCODED_VALUE, 0,
                            MediaType.APPLICATION_FORM_URLENCODED_VALUE.length());
        }
    }

    static String detail(InvalidParameterException e) {
        String message = String.valueOf(e.getMessage());
        return message.startsWith("More than the maximum number")
                ? "the query string has too many parameters"
                : "the query string is malformed (an invalid percent-escape)";
    }
}
