package dev.quiesce.store;

import dev.quiesce.config.InvalidConfigurationException;

/** {@code spring.datasource.url} names a database this version cannot use. */
final class UnsupportedStoreException extends InvalidConfigurationException {

    UnsupportedStoreException(String url) {
        super("spring.datasource.url", "unsupported database '" + redact(url) + "' (use jdbc:sqlite:<file>)");
    }

    private static String redact(String url) {
        if (url == null) {
            return "null";
        }
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }
}
