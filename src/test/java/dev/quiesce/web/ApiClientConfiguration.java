package dev.quiesce.web;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Lazy;

/** The {@link ApiClient} of a {@link ServiceTest}'s service, as a bean a test injects. */
@TestConfiguration(proxyBeanMethods = false)
class ApiClientConfiguration {

    /** Lazy: the port is known once the server runs, after the beans are made; a test asks for it later. */
    @Bean
    @Lazy
    ApiClient apiClient(@Value("${local.server.port}") int port) {
        return new ApiClient(port);
    }
}
