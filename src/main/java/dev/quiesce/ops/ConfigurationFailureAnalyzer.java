package dev.quiesce.ops;

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
        // The most specific reason first: a validation error or our own check, wherever it sits in the chain.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidConfigurationException invalid) {
                return analysis(invalid.property(), null,
                        invalid.getMessage().substring(invalid.property().length() + 2));
            }
            if (cause instanceof BindValidationException validation) {
                return validationFailure(validation);
            }
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
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
        }
        return null;
    }

    private static FailureAnalysis validationFailure(BindValidationException validation) {
        String prefix = validation.getValidationErrors().getName().toString();
        // A rule on one value first; a rule across values (an @AssertTrue method) names the value it is about.
        for (boolean crossRule : new boolean[] {false, true}) {
            for (ObjectError error : validation.getValidationErrors().getAllErrors()) {
                if (error instanceof FieldError field) {
                    String property = prefix + "." + kebab(field.getField());
                    boolean isCrossRule = !ruleSubject(property).equals(property);
                    if (isCrossRule != crossRule) {
                        continue;
                    }
                    if (crossRule) {
                        return analysis(ruleSubject(property), null, error.getDefaultMessage());
                    }
                    return analysis(property, safeValue(property, field.getRejectedValue()),
                            error.getDefaultMessage());
                }
            }
        }
        ObjectError error = validation.getValidationErrors().getAllErrors().get(0);
        return analysis(prefix, null, error.getDefaultMessage());
    }

    private static FailureAnalysis analysis(String property, String value, String problem) {
        String line = "invalid configuration: " + property + (value == null ? "" : " = " + value) + ": " + problem;
        return new FailureAnalysis(line, "Fix " + property + " and start again.", null);
    }

    /** The property a cross-value rule of {@code QuiesceProperties} is about, from the rule's name. */
    private static String ruleSubject(String rule) {
        String[][] subjects = {{"pre-stop-delay-within-budget", "pre-stop-delay"}, {"every-or-cron", "every"},
            {"every-positive", "every"}, {"cron-valid", "cron"}};
        for (String[] subject : subjects) {
            if (rule.endsWith("." + subject[0])) {
                return rule.substring(0, rule.length() - subject[0].length()) + subject[1];
            }
        }
        return rule;
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
