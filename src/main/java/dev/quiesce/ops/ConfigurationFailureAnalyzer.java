package dev.quiesce.ops;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.validation.BindValidationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

import dev.quiesce.config.InvalidConfigurationException;

/**
 * Turns a bad setting into one line that names the property, its value where safe, and what is wrong:
 * {@code invalid configuration: quiesce.pool.workers = 0: must be greater than or equal to 1}.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class ConfigurationFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException invalid) {
                return analysis(invalid.property(), null, invalid.getMessage().substring(invalid.property().length() + 2));
            }
            if (cause instanceof BindValidationException validation) {
                ObjectError error = validation.getValidationErrors().getAllErrors().get(0);
                String property = validation.getValidationErrors().getName().toString();
                if (error instanceof FieldError field) {
                    property = property + "." + kebab(field.getField());
                    return analysis(property, safeValue(property, field.getRejectedValue()), error.getDefaultMessage());
                }
                return analysis(property + "." + kebab(error.getCode() == null ? "" : error.getObjectName()), null,
                        error.getDefaultMessage());
            }
            if (cause instanceof BindException bind) {
                String property = bind.getName().toString();
                Object value = bind.getProperty() == null ? null : bind.getProperty().getValue();
                Throwable reason = bind.getCause();
                while (reason != null && reason.getCause() != null) {
                    reason = reason.getCause();
                }
                return analysis(property, safeValue(property, value),
                        reason == null ? "invalid value" : firstLine(reason.getMessage()));
            }
            if (cause instanceof BeanCreationException && cause.getCause() == null) {
                break;
            }
        }
        return null;
    }

    private static FailureAnalysis analysis(String property, String value, String problem) {
        String line = "invalid configuration: " + property + (value == null ? "" : " = " + value) + ": " + problem;
        return new FailureAnalysis(line, "Fix " + property + " and start again.", null);
    }

    /** Property paths from validation use camelCase field names; configuration uses kebab-case. */
    private static String kebab(String field) {
        return field.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static String safeValue(String property, Object value) {
        if (value == null) {
            return null;
        }
        String lower = property.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("password") || lower.contains("token") || lower.contains("secret")) {
            return "******";
        }
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "invalid value";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
