package io.datastream.sink.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.config.Checked;
import io.datastream.config.ConfigBinder;
import io.datastream.config.ConfigChecks;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;

/**
 * The whole, validated configuration of the sink job, read by the shared configuration system
 * (every problem at once, with its key path; docs/sink.md's reference is generated from these
 * records). Build it from YAML with {@link #load(Path)} / {@link #parse(String)}, or in code with
 * {@link io.datastream.config.ConfigBuilder} or the with-ers (which check the result the same way).
 * {@link #defaults()} reads localhost Kafka and writes under /tmp.
 */
public record SinkConfig(
        @Doc("where the envelopes come from")
        KafkaConfig kafka,
        @Doc("the line files")
        OutputConfig output,
        @Doc("records that are not valid envelopes")
        DeadLetterConfig deadLetter,
        @Doc("the de-duplication state")
        DedupConfig dedup,
        @Doc("the Flink job")
        JobConfig job) implements Serializable, Checked {

    private static final ConfigBinder BINDER = ConfigBinder.strict().with(ZoneId.class, SinkConfig::zone);

    public SinkConfig {
        kafka = kafka == null ? new KafkaConfig(null, null, null, null, null, null, null, null) : kafka;
        output = output == null ? new OutputConfig(null, null, null, null, null, null, (io.datastream.config.ByteSize) null, null) : output;
        deadLetter = deadLetter == null ? new DeadLetterConfig(null) : deadLetter;
        dedup = dedup == null ? new DedupConfig(null, null, null) : dedup;
        job = job == null ? new JobConfig(null, null, null, null) : job;
    }

    @Override
    public void check(Problems p) {
        p.check(!stripSlash(deadLetter.path()).equals(stripSlash(output.path())), "deadLetter.path", "must differ from output.path");
    }

    private static String stripSlash(String p) {
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static ZoneId zone(JsonNode node, Problems at) {
        try {
            return ZoneId.of(node.asText().trim());
        } catch (DateTimeException e) {
            at.add("", "unknown time zone '" + node.asText() + "'");
            return null;
        }
    }

    /** Every key at its default. */
    public static SinkConfig defaults() {
        return parse("");
    }

    /** Reads and validates a YAML file. */
    public static SinkConfig load(Path file) throws IOException {
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Reads and validates YAML text; an empty text gives the defaults. @throws ConfigException listing every problem */
    public static SinkConfig parse(String yaml) {
        try {
            return BINDER.fromYaml(SinkConfig.class, yaml, ConfigException.WHAT);
        } catch (ConfigException e) {
            throw e;
        } catch (io.datastream.config.ConfigException e) {
            throw new ConfigException(e.problemList());
        }
    }

    /** Checks a configuration built in code. @throws ConfigException listing every problem */
    public SinkConfig checked() {
        try {
            ConfigChecks.check(this, ConfigException.WHAT);
            return this;
        } catch (ConfigException e) {
            throw e;
        } catch (io.datastream.config.ConfigException e) {
            throw new ConfigException(e.problemList());
        }
    }

    public SinkConfig withKafka(KafkaConfig k) {
        return new SinkConfig(k, output, deadLetter, dedup, job).checked();
    }

    public SinkConfig withOutput(OutputConfig o) {
        return new SinkConfig(kafka, o, deadLetter, dedup, job).checked();
    }

    public SinkConfig withDeadLetter(DeadLetterConfig d) {
        return new SinkConfig(kafka, output, d, dedup, job).checked();
    }

    public SinkConfig withDedup(DedupConfig d) {
        return new SinkConfig(kafka, output, deadLetter, d, job).checked();
    }

    public SinkConfig withJob(JobConfig j) {
        return new SinkConfig(kafka, output, deadLetter, dedup, j).checked();
    }
}
