package io.datastream.router.config;

import java.util.List;

/** The configuration is invalid; the message lists every problem, each with its key path. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("invalid router configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem, each starting with the key path ("pool.capacityBytes: ..."). */
    public List<String> problems() {
        return problems;
    }
}
