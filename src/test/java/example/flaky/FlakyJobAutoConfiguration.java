package example.flaky;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link FlakyJob} as a {@code JobType} bean. A plug-in lists it in its
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}; the test classpath
 * has no such file (the test writes it into the plug-in it builds), so Spring tests never load it.
 */
@AutoConfiguration
public class FlakyJobAutoConfiguration {

    @Bean
    FlakyJob flakyJob() {
        return new FlakyJob();
    }
}
