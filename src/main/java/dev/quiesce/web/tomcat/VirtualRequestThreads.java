package dev.quiesce.web.tomcat;

import org.springframework.boot.thread.Threading;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.autoconfigure.TomcatVirtualThreadsWebServerFactoryCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Virtual request threads ({@code spring.threads.virtual.enabled}, on JDK 21+) decided when the service starts,
 * not when the jar is built. Spring Boot's own switch is a condition, and in Spring AOT mode (the fast start
 * route) conditions were evaluated at build time, on the build's JDK 17: without this, the Docker image's
 * JDK 25 would serve every long poll on a platform thread of a pool of 200. Only Tomcat's request threads are
 * covered: Boot's task executor and scheduler stay as the build decided (quiesce uses neither). In the plain
 * start on JDK 21+ Spring Boot installs the same kind of executor first and this one replaces it.
 */
@Configuration(proxyBeanMethods = false)
class VirtualRequestThreads {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> virtualRequestThreadsAtStart(
            Environment environment) {
        return factory -> {
            if (Threading.VIRTUAL.isActive(environment)) {
                new TomcatVirtualThreadsWebServerFactoryCustomizer().customize(factory);
            }
        };
    }
}
