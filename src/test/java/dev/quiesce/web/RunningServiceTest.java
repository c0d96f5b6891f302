package dev.quiesce.web;

import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * The service as it runs by default - real Tomcat on a random port, a real SQLite file - with two workers
 * (so tests can fill the pool) and the {@code echo} type of {@link EchoJobConfiguration}. Every class that
 * extends this shares one Spring context: keep them free of long-running leftovers.
 */
@ServiceTest(properties = { "quiesce.pool.workers=2", "quiesce.instance-id=web-test" })
@Import(EchoJobConfiguration.class)
abstract class RunningServiceTest {

    static final Duration FINISH_WITHIN = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    ApiClient api;
}
