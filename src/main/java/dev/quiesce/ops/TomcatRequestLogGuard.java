package dev.quiesce.ops;

import java.util.Set;

import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.SmartApplicationListener;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Keeps the credentials a request carries out of the log, at every level a user can set. Tomcat prints them in
 * two places:
 * <ul>
 * <li>{@code Http11InputBuffer} at DEBUG logs each raw request it reads ({@code Received [...]}, every header,
 * {@code Authorization} included): its events below INFO are denied;</li>
 * <li>{@code Http11Processor} logs a header line it cannot parse inside the exception's message ("Error parsing
 * HTTP request header", at INFO the first time, so even at the default level): that event is replaced by one
 * line without the exception.</li>
 * </ul>
 * Both by a Logback turbo filter: {@code logging.level.*} (root or {@code org.apache} at DEBUG or TRACE) sets
 * logger levels, which a turbo filter overrides, and a user's own Logback file does not remove it either. It is
 * installed right after Spring Boot (re)initialises logging (registered in {@code META-INF/spring.factories}),
 * before the web server reads a request. Found by sending the token and Basic credentials, well-formed and not,
 * with every logger at TRACE ({@code SecretsNotLoggedTest}); Spring MVC masks headers unless
 * {@code spring.mvc.log-request-details} is set.
 */
public final class TomcatRequestLogGuard implements SmartApplicationListener {

    static final String INPUT_BUFFER = "org.apache.coyote.http11.Http11InputBuffer";
    static final String PROCESSOR = "org.apache.coyote.http11.Http11Processor";
    /** Where Tomcat throws for a header line it refuses, naming the line (the message is localised). */
    static final String HEADER_PARSER = "org.apache.tomcat.util.http.parser.HttpHeaderParser";

    @Override
    public boolean supportsEventType(Class<? extends ApplicationEvent> eventType) {
        return ApplicationEnvironmentPreparedEvent.class.isAssignableFrom(eventType);
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context
                && context.getTurboFilterList().stream().noneMatch(RequestCredentialsFilter.class::isInstance)) {
            RequestCredentialsFilter filter = new RequestCredentialsFilter();
            filter.setName("quiesce-request-credentials");
            filter.setContext(context);
            filter.start();
            context.addTurboFilter(filter);
        }
    }

    /** Right after Spring Boot's logging set-up, which resets Logback's context (turbo filters with it). */
    @Override
    public int getOrder() {
        return LoggingApplicationListener.DEFAULT_ORDER + 1;
    }

    /** Consulted on every log call of the application: it decides on the logger's name first. */
    static final class RequestCredentialsFilter extends TurboFilter {

        private static final Set<String> GUARDED = Set.of(INPUT_BUFFER, PROCESSOR);
        private static final String FQCN = RequestCredentialsFilter.class.getName();

        @Override
        public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                Throwable t) {
            if (level == null || !GUARDED.contains(logger.getName())) {
                return FilterReply.NEUTRAL;
            }
            if (logger.getName().equals(INPUT_BUFFER)) {
                return level.isGreaterOrEqual(Level.INFO) ? FilterReply.NEUTRAL : FilterReply.DENY;
            }
            if (t == null || !thrownByHeaderParser(t)) {
                return FilterReply.NEUTRAL;
            }
            String what = format == null ? "Error parsing HTTP request header" : format.lines().findFirst().orElse("");
            logger.log(marker, FQCN, Level.toLocationAwareLoggerInteger(level),
                    what + " (its cause, a header line that may carry credentials, is not logged)", null, null);
            return FilterReply.DENY;
        }

        private static boolean thrownByHeaderParser(Throwable t) {
            StackTraceElement[] trace = t.getStackTrace();
            return trace.length > 0 && trace[0].getClassName().equals(HEADER_PARSER);
        }
    }
}
