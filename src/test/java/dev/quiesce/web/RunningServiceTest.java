package dev.quiesce.web;

import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.quiesce.QuiesceApplication;

/**
 * The service as it runs by default - real Tomcat on a random port, a real SQLite file - with two workers
 * (so tests can fill the pool) and the {@code echo} type of {@link EchoJobConfiguration}. Every class that
 * extends this shares one Spring context: keep them free of long-running leftovers.
 */
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "quiesce.pool.workers=2", "quiesce.instance-id=web-test" })
@Import(EchoJobConfiguration.class)
abstract class RunningServiceTest {

    static final Duration FINISH_WITHIN = Duration.ofSeconds(20);

    private static final String DATABASE = TestDatabases.newSqliteUrl("api");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> DATABASE);
    }

    @LocalServerPort
    int port;

    ApiClient api;

    @BeforeEach
    void connect() {
        api = new ApiClient(port);
    }
}
