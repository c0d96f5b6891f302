package dev.quiesce.web;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document's title; the operations are described on the controllers. */
@Configuration(proxyBeanMethods = false)
class ApiDescription {

    @Bean
    OpenAPI quiesceOpenApi() {
        return new OpenAPI().info(new Info().title("quiesce job API").version("1")
                .description("Submit, read, wait for, list and cancel jobs; watch the lifecycle. Every error is "
                        + "application/problem+json (RFC 9457)."));
    }
}
