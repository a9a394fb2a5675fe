package io.datastream.config;

import java.util.Objects;

/**
 * One problem in a configuration: the dotted path of the key ({@code listen.port},
 * {@code routes[2].when}; empty for the document itself) and what is wrong with it.
 */
public record ConfigProblem(String path, String message) {
    public ConfigProblem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    /** {@code path: message}, the document itself shown as {@code (document)}. */
    @Override
    public String toString() {
        return (path.isEmpty() ? "(document)" : path) + ": " + message;
    }
}
