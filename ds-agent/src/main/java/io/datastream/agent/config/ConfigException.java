package io.datastream.agent.config;

import java.util.List;

/** A configuration that failed validation; the message lists every bad key with its full path. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> errors;

    public ConfigException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    public ConfigException(String error) {
        this(List.of(error));
    }

    /** Each error as "key.path: what is wrong". */
    public List<String> errors() {
        return errors;
    }
}
