package io.datastream.router.config;

import io.datastream.config.ConfigProblem;
import java.util.List;

/**
 * The router's configuration is invalid: the shared {@link io.datastream.config.ConfigException}
 * (one formatter, every problem with its key path), named for the router.
 */
public final class ConfigException extends io.datastream.config.ConfigException {
    private static final long serialVersionUID = 1L;

    /** What the router reads: the first line of the message. */
    public static final String WHAT = "router configuration";

    public ConfigException(List<ConfigProblem> problems) {
        super(WHAT, problems);
    }
}
