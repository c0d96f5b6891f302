package dev.quiesce.config;

/** A configuration value that binds but makes no sense, found after binding (e.g. a schedule naming an unknown type). */
public class InvalidConfigurationException extends RuntimeException {

    private final String property;

    public InvalidConfigurationException(String property, String message) {
        super(property + ": " + message);
        this.property = property;
    }

    public String property() {
        return property;
    }
}
