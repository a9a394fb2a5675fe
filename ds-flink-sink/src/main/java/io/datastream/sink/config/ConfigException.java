package io.datastream.sink.config;

import io.datastream.config.ConfigProblem;
import java.util.List;

/**
 * The sink's configuration is invalid: the shared {@link io.datastream.config.ConfigException}
 * (one formatter, every problem with its full key path), named for the sink.
 */
public final class ConfigException extends io.datastream.config.ConfigException {
    private static final long serialVersionUID = 1L;

    /** What the sink reads: the first line of the message. */
    public static final String WHAT = "sink configuration";

    public ConfigException(List<ConfigProblem> problems) {
        super(WHAT, problems);
    }

    /** One problem about {@code key} (found after binding, e.g. a job argument). */
    public ConfigException(String key, String message) {
        this(List.of(new ConfigProblem(key, message)));
    }

    /** The dotted key of the first problem, e.g. {@code output.compressionLevel}; {@code (document)} for the document itself. */
    public String key() {
        String path = problemList().get(0).path();
        return path.isEmpty() ? "(document)" : path;
    }
}
