package io.datastream.agent.config;

import io.datastream.config.ConfigProblem;
import java.util.List;

/**
 * The agent's configuration is invalid: the shared {@link io.datastream.config.ConfigException}
 * (one formatter, every problem with its full key path), named for the agent.
 */
public final class ConfigException extends io.datastream.config.ConfigException {
    private static final long serialVersionUID = 1L;

    public ConfigException(List<ConfigProblem> problems) {
        super("agent configuration", problems);
    }

    /** One problem written as {@code key.path: message} (found after binding, e.g. a PEM file that does not parse). */
    public ConfigException(String problem) {
        this(List.of(parse(problem)));
    }

    private static ConfigProblem parse(String problem) {
        int colon = problem.indexOf(": ");
        return colon <= 0 ? new ConfigProblem("", problem) : new ConfigProblem(problem.substring(0, colon), problem.substring(colon + 2));
    }

    /** Each problem as "key.path: what is wrong". */
    public List<String> errors() {
        return problems();
    }
}
