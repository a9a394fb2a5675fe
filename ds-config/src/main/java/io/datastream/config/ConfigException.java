package io.datastream.config;

import java.util.List;

/**
 * A configuration that cannot be used. The message names what was read (for example "router
 * configuration") and then every problem on a line of its own, each with its key path, so that a
 * user fixes them all in one go.
 */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String what;
    private final transient List<ConfigProblem> problems;

    public ConfigException(String what, List<ConfigProblem> problems) {
        super(format(what, problems));
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one problem");
        }
        this.what = what;
        this.problems = List.copyOf(problems);
    }

    /** The one formatter: {@code invalid <what>:} and then one indented line per problem. */
    public static String format(String what, List<ConfigProblem> problems) {
        StringBuilder sb = new StringBuilder("invalid ").append(what).append(':');
        for (ConfigProblem p : problems) {
            sb.append("\n  ").append(p);
        }
        return sb.toString();
    }

    /** What was read, e.g. "router configuration". */
    public String what() {
        return what;
    }

    /** Every problem, in the order found. */
    public List<ConfigProblem> problemList() {
        return problems;
    }

    /** Every problem as {@code path: message}, in the order found. */
    public List<String> problems() {
        return problems.stream().map(ConfigProblem::toString).toList();
    }
}
