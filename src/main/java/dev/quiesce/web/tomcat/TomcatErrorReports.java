package dev.quiesce.web.tomcat;

import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Installs {@link ProblemErrorReportValve}, after Spring Boot has added its own (HTML) error report valve, and
 * {@link RefusedBodyValve}.
 */
@Configuration(proxyBeanMethods = false)
class TomcatErrorReports {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReports() {
        return new ProblemReportsCustomizer();
    }

    private static final class ProblemReportsCustomizer
            implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                ProblemErrorReportValve.install(context.getParent());
                RefusedBodyValve.install(context);
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
