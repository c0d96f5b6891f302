package dev.quiesce.web;

import java.lang.reflect.Method;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The service with {@code quiesce.api.token} set, so the job API is closed: one worker, an anonymous client and
 * a client that sends the token, and {@link HandlerLog} to see which handlers a request reached. Every class
 * that extends this shares one Spring context: keep them free of long-running leftovers.
 */
@ServiceTest(properties = { "quiesce.api.token=" + TokenServiceTest.TOKEN, "quiesce.pool.workers=1",
        // A schedule for the {name} of /schedules/{name}/..., firing only at midnight UTC on 29 February.
        "quiesce.schedules[0].name=" + TokenServiceTest.SCHEDULE, "quiesce.schedules[0].cron=0 0 0 29 2 *",
        "quiesce.schedules[0].type=sleep", "quiesce.schedules[0].params.durationMs=1" })
@Import(TokenServiceTest.HandlerLog.class)
abstract class TokenServiceTest {

    static final String TOKEN = "tok-walk-5e6f7a8b9c";
    static final String SCHEDULE = "walk";

    @LocalServerPort
    int port;

    @Autowired
    ApiClient anonymous;

    /** Sends {@link #TOKEN} with every request. */
    ApiClient client;

    @BeforeEach
    void connect() {
        client = new ApiClient(port, "Authorization", "Bearer " + TOKEN);
    }

    /** Records every handler method Spring MVC is about to invoke. */
    @TestConfiguration(proxyBeanMethods = false)
    static class HandlerLog implements WebMvcConfigurer, HandlerInterceptor {

        final Set<Method> reached = ConcurrentHashMap.newKeySet();

        @Override
        public void addInterceptors(InterceptorRegistry registry) {
            registry.addInterceptor(this);
        }

        @Override
        public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
            if (handler instanceof HandlerMethod method) {
                reached.add(method.getMethod());
            }
            return true;
        }
    }
}
