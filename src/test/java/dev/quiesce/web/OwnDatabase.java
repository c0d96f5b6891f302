package dev.quiesce.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * A fresh SQLite file for every service a {@link ServiceTest} starts, in a temporary folder under {@code target/}
 * (gone with a clean). The file is made when Spring creates the context, so a context cached and used again keeps
 * its database, and no two contexts share one. Its customizer is keyed by the class that declares
 * {@code @ServiceTest}: that class and its subclasses share one context, and no other class shares it, whatever
 * its properties.
 */
final class OwnDatabase implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        var declared = TestContextAnnotationUtils.findAnnotationDescriptor(testClass, ServiceTest.class);
        return declared == null ? null : new Customizer(declared.getDeclaringClass());
    }

    /** Equal for one declaring class: the context cache's key is that class (with the rest of the configuration). */
    private record Customizer(Class<?> declaringClass) implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
            String name = declaringClass.getSimpleName();
            MapPropertySource database = new MapPropertySource("own SQLite database of " + name,
                    Map.of("spring.datasource.url", newSqliteUrl(name)));
            // Below the test's own properties (a test may still name another database), above the application's.
            MutablePropertySources sources = context.getEnvironment().getPropertySources();
            if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
                sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, database);
            } else {
                sources.addFirst(database);
            }
        }
    }

    private static String newSqliteUrl(String name) {
        try {
            Path root = Files.createDirectories(Path.of("target", "web-test-dbs"));
            Path folder = Files.createTempDirectory(root, name + "-");
            return "jdbc:sqlite:" + folder.toAbsolutePath().resolve("q.db");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
