package dev.quiesce.web;

import static dev.quiesce.web.OpenEndpointsTest.basic;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Secrets never appear in logs, whatever level a user sets: with the root logger at DEBUG and Tomcat, Spring
 * MVC and Spring Security at TRACE, requests carrying the bearer token and the admin's Basic credentials (right
 * and wrong) leave none of them in the output. The requests go over a plain socket, so that no client logs
 * them; the secrets come from a dynamic property source, so that the test framework's own logging of its
 * context key does not name them.
 */
@ExtendWith(OutputCaptureExtension.class)
@ServiceTest(properties = { "logging.level.root=DEBUG", "logging.level.org.apache=TRACE",
        "logging.level.org.springframework.web=TRACE", "logging.level.org.springframework.security=TRACE" })
class SecretsNotLoggedTest {

    private static final String ADMIN_PASSWORD = "adm1n-L0g-Pa55-q9w8";
    private static final String TOKEN = "tok-l0g-7c6b5a4d3e2f";
    private static final String WRONG_PASSWORD = "wr0ng-L0g-Pa55-x1y2";
    private static final String WRONG_TOKEN = "tok-wr0ng-1a2b3c4d5e";

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("quiesce.admin.password", () -> ADMIN_PASSWORD);
        registry.add("quiesce.api.token", () -> TOKEN);
    }

    @LocalServerPort
    int port;

    /**
     * Logging levels are the JVM's, not the context's: put back what this test raised, or every test that
     * runs after it in this JVM logs at TRACE (and one that counts log lines fails).
     */
    @AfterAll
    static void restoreLogLevels() {
        LoggingSystem logging = LoggingSystem.get(SecretsNotLoggedTest.class.getClassLoader());
        logging.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.INFO);
        for (String logger : List.of("org.apache", "org.springframework.web", "org.springframework.security")) {
            logging.setLogLevel(logger, null);
        }
    }

    @Test
    void requestsWithTheTokenAndBasicCredentialsLeaveNoSecretInTheLogWithTomcatAtTrace(CapturedOutput output)
            throws IOException {
        assertThat(get("/jobs", "Bearer " + TOKEN)).startsWith("HTTP/1.1 200 ");
        assertThat(get("/jobs", "bearer " + WRONG_TOKEN)).startsWith("HTTP/1.1 401 ");
        assertThat(get("/actuator/env", basic("admin", ADMIN_PASSWORD))).startsWith("HTTP/1.1 200 ");
        assertThat(get("/actuator/env", basic("admin", WRONG_PASSWORD))).startsWith("HTTP/1.1 401 ");
        // a header line Tomcat cannot parse, which it would print whole
        assertThat(exchange("GET /jobs HTTP/1.1\r\nHost: localhost\r\nAuthorization : Bearer " + WRONG_TOKEN
                + "\r\nAuthorization: Bearer " + TOKEN + "\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 ");

        String log = output.getAll();
        assertThat(log).as("request logging is on and captured").contains("\"/actuator/env\"", "\"/jobs\"",
                "Error parsing HTTP request header (its cause, a header line that may carry credentials, "
                        + "is not logged)");
        List<String> secrets = List.of(TOKEN, WRONG_TOKEN, ADMIN_PASSWORD, WRONG_PASSWORD,
                base64("admin:" + ADMIN_PASSWORD), base64("admin:" + WRONG_PASSWORD));
        assertThat(log.lines().filter(line -> secrets.stream().anyMatch(line::contains)))
                .as("log lines naming a secret").isEmpty();
        assertThat(LoggerFactory.getLogger("org.apache.coyote.http11.Http11InputBuffer").isTraceEnabled())
                .as("the level set is overridden for the logger that dumps requests").isFalse();
    }

    private String get(String path, String authorization) throws IOException {
        return exchange("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: " + authorization
                + "\r\nConnection: close\r\n\r\n");
    }

    /** Sends {@code request} as written and answers everything the server sends until it closes (bounded). */
    private String exchange(String request) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
