package dev.quiesce.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

import dev.quiesce.config.QuiesceProperties;

/** {@code quiesce.shutdown.grace-period}: optional; when set, a positive duration, else one line naming it. */
class GracePeriodSettingTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(QuiesceProperties.class)
    static class Properties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Properties.class);

    @Test
    void unsetItIsNullAndSetItIsTheDuration() {
        runner.run(context -> assertThat(context.getBean(QuiesceProperties.class).shutdown().gracePeriod()).isNull());
        runner.withPropertyValues("quiesce.shutdown.grace-period=30s").run(context -> assertThat(
                context.getBean(QuiesceProperties.class).shutdown().gracePeriod()).isEqualTo(Duration.ofSeconds(30)));
    }

    @Test
    void aValueThatIsNotPositiveOrNotADurationStopsTheStartWithOneLineNamingTheProperty() {
        assertThat(failure("0s")).startsWith("invalid configuration: quiesce.shutdown.grace-period = ")
                .endsWith(": must be positive");
        assertThat(failure("-5s")).startsWith("invalid configuration: quiesce.shutdown.grace-period = ")
                .endsWith(": must be positive");
        assertThat(failure("soon")).startsWith("invalid configuration: quiesce.shutdown.grace-period = soon: ");
    }

    private String failure(String value) {
        String[] line = new String[1];
        runner.withPropertyValues("quiesce.shutdown.grace-period=" + value).run(context -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = new ConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            line[0] = analysis.getDescription();
        });
        return line[0];
    }
}
