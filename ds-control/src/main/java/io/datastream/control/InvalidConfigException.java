package io.datastream.control;

import io.datastream.config.ConfigException;
import io.datastream.config.ConfigProblem;
import java.util.List;

/**
 * A control configuration that cannot be used: the shared {@link ConfigException} (one formatter,
 * every problem with its full key path), named for control.
 */
public final class InvalidConfigException extends ConfigException {
    private static final long serialVersionUID = 1L;

    /** What control reads: the first line of the message. */
    public static final String WHAT = "control configuration";

    /** From problems written as {@code key.path: message}. */
    public InvalidConfigException(List<String> problems) {
        this(problems.stream().map(InvalidConfigException::parse).toList(), true);
    }

    private InvalidConfigException(List<ConfigProblem> problems, boolean typed) {
        super(WHAT, problems);
    }

    static InvalidConfigException of(List<ConfigProblem> problems) {
        return new InvalidConfigException(problems, true);
    }

    private static ConfigProblem parse(String problem) {
        int colon = problem.indexOf(": ");
        if (colon <= 0) {
            return new ConfigProblem("", problem);
        }
        String path = problem.substring(0, colon);
        return new ConfigProblem(path.startsWith("(") ? "" : path, problem.substring(colon + 2));
    }
}
