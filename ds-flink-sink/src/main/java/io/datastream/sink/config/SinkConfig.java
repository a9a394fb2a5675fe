package io.datastream.sink.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;

/**
 * The whole, validated configuration of the sink job. Build it from YAML with
 * {@link #load(Path)} / {@link #parse(String)}, or with the records' constructors (which validate
 * the same way). {@link #defaults()} reads localhost Kafka and writes under /tmp.
 */
public record SinkConfig(KafkaConfig kafka, OutputConfig output, DeadLetterConfig deadLetter, DedupConfig dedup,
                         JobConfig job) implements Serializable {

    public SinkConfig {
        if (kafka == null || output == null || deadLetter == null || dedup == null || job == null) {
            throw new IllegalArgumentException("every section of SinkConfig must be set");
        }
        if (stripSlash(deadLetter.path()).equals(stripSlash(output.path()))) {
            throw new ConfigException(SinkConfigKey.DEAD_LETTER_PATH.key(), "must differ from output.path");
        }
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** Every key at its default. */
    public static SinkConfig defaults() {
        return SinkConfigLoader.parse("");
    }

    /** Reads and validates a YAML file. */
    public static SinkConfig load(Path file) throws IOException {
        return SinkConfigLoader.load(file);
    }

    /** Reads and validates YAML text; an empty text gives the defaults. */
    public static SinkConfig parse(String yaml) {
        return SinkConfigLoader.parse(yaml);
    }

    public SinkConfig withKafka(KafkaConfig k) {
        return new SinkConfig(k, output, deadLetter, dedup, job);
    }

    public SinkConfig withOutput(OutputConfig o) {
        return new SinkConfig(kafka, o, deadLetter, dedup, job);
    }

    public SinkConfig withDeadLetter(DeadLetterConfig d) {
        return new SinkConfig(kafka, output, d, dedup, job);
    }

    public SinkConfig withDedup(DedupConfig d) {
        return new SinkConfig(kafka, output, deadLetter, d, job);
    }

    public SinkConfig withJob(JobConfig j) {
        return new SinkConfig(kafka, output, deadLetter, dedup, j);
    }
}
