package io.datastream.control;

import java.util.List;

/** A control configuration that cannot be used; the message names every bad key with its full path. */
public final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<String> problems;

    public InvalidConfigException(List<String> problems) {
        super("invalid control configuration: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    /** Each problem as "key.path: message". */
    public List<String> problems() {
        return problems;
    }
}
