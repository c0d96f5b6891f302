package dev.quiesce.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ContextCustomizerFactories;

import dev.quiesce.QuiesceApplication;

/**
 * The service as it runs: the whole application on a real Tomcat at a random port ({@code @LocalServerPort}),
 * a SQLite file of its own ({@link OwnDatabase}), and an {@link ApiClient} bean for it
 * ({@code @Autowired ApiClient api}). Each class that declares {@code @ServiceTest} gets a service of its own,
 * shared by its subclasses only: a test that counts jobs or reads metrics right after start sees no other
 * class's work.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(classes = QuiesceApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@ContextCustomizerFactories(OwnDatabase.class)
@Import(ApiClientConfiguration.class)
@interface ServiceTest {

    /** Properties of this service, {@code key=value}, as {@link SpringBootTest#properties()}. */
    @AliasFor(annotation = SpringBootTest.class)
    String[] properties() default {};
}
