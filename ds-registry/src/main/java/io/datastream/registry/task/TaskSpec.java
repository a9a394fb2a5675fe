package io.datastream.registry.task;

import io.datastream.config.Doc;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.datastream.protocol.batch.ReservedHeaders;
import java.nio.file.FileSystems;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A collection task: which files to read on which hosts, and where their lines go.
 * Missing optional values take their defaults in the constructor; {@link #validate()} lists
 * every invalid field (used for REST 400 answers and for local YAML task files alike).
 */
public record TaskSpec(
        @Doc("task id: letters, digits, '.', '_' and '-', at most 64, starting with a letter or digit")
        String id,
        @Doc("absolute path globs, e.g. `/var/log/app/**/*.log`")
        List<String> paths,
        @Doc("globs of paths never read, even when `paths` match them")
        List<String> exclude,
        @Doc("Kafka topic for the router (sent as header `ds.topic`); null = the router's rules decide")
        String topic,
        @Doc("static headers added to every batch, for the router's rules")
        Map<String, String> headers,
        @Doc("joins continuation lines (stack traces); null = one record per line")
        Multiline multiline,
        @Doc("longest record; longer ones are split or truncated (and counted)")
        Integer maxLineBytes,
        @Doc("what happens to a record over `maxLineBytes`")
        OverLongLines overLongLines,
        @Doc("where reading starts in a file first seen by this task")
        StartPosition startPosition,
        @Doc("most bytes per second read for this task on one agent; 0 = unlimited")
        Long rateLimitBytesPerSec,
        @Doc("batch compression: none, lz4 or zstd")
        String codec,
        @Doc("which agents run the task")
        HostSelector hosts,
        @Doc("where the lines carry their event time, for the sink's time buckets")
        EventTime eventTime,
        @Doc("what happens to a matching file that is compressed (gzip, zstd, bzip2, xz)")
        CompressedFiles compressedFiles) {

    /** The batch header that carries a task's topic to the router. */
    public static final String TOPIC_HEADER = ReservedHeaders.TOPIC;
    public static final int DEFAULT_MAX_LINE_BYTES = 1 << 20;
    public static final int MIN_LINE_BYTES = 16;
    public static final int MAX_LINE_BYTES = 16 << 20;
    public static final String DEFAULT_CODEC = "lz4";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Pattern HEADER_KEY = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Set<String> CODECS = Set.of("none", "lz4", "zstd");

    /** What happens to a record longer than maxLineBytes. */
    public enum OverLongLines {
        /** Keep the first maxLineBytes bytes; the rest is skipped and counted as dropped bytes. */
        @JsonProperty("truncate") TRUNCATE,
        /** Cut it into records of maxLineBytes bytes; nothing is dropped. */
        @JsonProperty("split") SPLIT
    }

    /** What happens to a matching file whose first bytes are a compression format's magic. */
    public enum CompressedFiles {
        /** Never read it; its bytes are counted as dropped (reason compressed). */
        @JsonProperty("skip") SKIP,
        /** Read its decompressed lines. */
        @JsonProperty("decompress") DECOMPRESS
    }

    /** Where reading starts in a file this task sees for the first time. */
    public enum StartPosition {
        @JsonProperty("beginning") BEGINNING,
        @JsonProperty("end") END
    }

    public TaskSpec {
        // copies that keep null elements, so validate() can name them instead of the constructor throwing
        paths = paths == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(paths));
        exclude = exclude == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(exclude));
        headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        maxLineBytes = maxLineBytes == null ? DEFAULT_MAX_LINE_BYTES : maxLineBytes;
        overLongLines = overLongLines == null ? OverLongLines.TRUNCATE : overLongLines;
        startPosition = startPosition == null ? StartPosition.BEGINNING : startPosition;
        rateLimitBytesPerSec = rateLimitBytesPerSec == null ? 0L : rateLimitBytesPerSec;
        codec = codec == null ? DEFAULT_CODEC : codec;
        hosts = hosts == null ? HostSelector.ALL : hosts;
        eventTime = eventTime == null ? EventTime.DEFAULT : eventTime;
        compressedFiles = compressedFiles == null ? CompressedFiles.SKIP : compressedFiles;
    }

    /** A task with just an id, path globs and a topic; everything else default. */
    public static TaskSpec of(String id, List<String> paths, String topic) {
        return new TaskSpec(id, paths, null, topic, null, null, null, null, null, null, null, null, null, null);
    }

    /** Every invalid field; empty when the task is valid. */
    public List<FieldError> validate() {
        List<FieldError> errors = new ArrayList<>();
        if (id == null || id.isEmpty()) {
            errors.add(new FieldError("id", "is required"));
        } else if (!ID.matcher(id).matches()) {
            errors.add(new FieldError("id", "'" + id + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        if (paths.isEmpty()) {
            errors.add(new FieldError("paths", "at least one path glob is required"));
        }
        globs("paths", paths, errors);
        globs("exclude", exclude, errors);
        if (topic != null && (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals(".."))) {
            errors.add(new FieldError("topic", "'" + topic + "' is not a legal Kafka topic name (1-249 of [A-Za-z0-9._-])"));
        }
        if (headers.size() > 32) {
            errors.add(new FieldError("headers", "at most 32 headers, got " + headers.size()));
        }
        for (Map.Entry<String, String> e : headers.entrySet()) {
            if (e.getKey() == null) {
                errors.add(new FieldError("headers", "header names must not be null"));
                continue;
            }
            if (!HEADER_KEY.matcher(e.getKey()).matches()) {
                errors.add(new FieldError("headers." + e.getKey(), "header names are 1-64 of [A-Za-z0-9._-]"));
            } else if (e.getKey().startsWith(ReservedHeaders.PREFIX)) {
                errors.add(new FieldError("headers." + e.getKey(), "names starting with 'ds.' are reserved"));
            }
            if (e.getValue() == null || e.getValue().length() > 256) {
                errors.add(new FieldError("headers." + e.getKey(), "value must be present and at most 256 characters"));
            }
        }
        if (multiline != null) {
            if (multiline.startPattern() == null || multiline.startPattern().isEmpty()) {
                errors.add(new FieldError("multiline.startPattern", "is required when multiline is set"));
            } else {
                try {
                    // the agent matches with RE2 (linear time): no back-references or look-around
                    com.google.re2j.Pattern.compile(multiline.startPattern());
                } catch (com.google.re2j.PatternSyntaxException e) {
                    errors.add(new FieldError("multiline.startPattern", "does not compile as an RE2 regular expression"
                            + " (no back-references or look-around): " + e.getDescription()));
                }
            }
            if (multiline.maxLinesOrDefault() < 1 || multiline.maxLinesOrDefault() > 10_000) {
                errors.add(new FieldError("multiline.maxLines", "must be in [1, 10000], was " + multiline.maxLines()));
            }
            if (multiline.flushTimeoutMsOrDefault() < 10 || multiline.flushTimeoutMsOrDefault() > 600_000) {
                errors.add(new FieldError("multiline.flushTimeoutMs", "must be in [10, 600000], was " + multiline.flushTimeoutMs()));
            }
        }
        if (maxLineBytes < MIN_LINE_BYTES || maxLineBytes > MAX_LINE_BYTES) {
            errors.add(new FieldError("maxLineBytes", "must be in [" + MIN_LINE_BYTES + ", " + MAX_LINE_BYTES + "], was " + maxLineBytes));
        }
        if (rateLimitBytesPerSec < 0) {
            errors.add(new FieldError("rateLimitBytesPerSec", "must be >= 0 (0 = unlimited), was " + rateLimitBytesPerSec));
        }
        if (!CODECS.contains(codec)) {
            errors.add(new FieldError("codec", "'" + codec + "' is not one of none, lz4, zstd"));
        }
        eventTime.validate("eventTime", errors);
        for (String h : hosts.hostnames()) {
            if (h == null || h.isEmpty()) {
                errors.add(new FieldError("hosts.hostnames", "must not contain empty or null globs"));
                continue;
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + h);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("hosts.hostnames", "'" + h + "' is not a valid glob: " + e.getMessage()));
            }
        }
        for (Map.Entry<String, String> e : hosts.labels().entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                errors.add(new FieldError("hosts.labels", "label names and values must not be null"));
            }
        }
        return errors;
    }

    /** Throws with every invalid field unless the task is valid. */
    public TaskSpec validated() throws InvalidTaskException {
        List<FieldError> errors = validate();
        if (!errors.isEmpty()) {
            throw new InvalidTaskException(errors);
        }
        return this;
    }

    private static void globs(String field, List<String> globs, List<FieldError> errors) {
        for (int i = 0; i < globs.size(); i++) {
            String g = globs.get(i);
            String f = field + "[" + i + "]";
            if (g == null || g.isEmpty()) {
                errors.add(new FieldError(f, "must not be empty"));
                continue;
            }
            if (!g.startsWith("/")) {
                errors.add(new FieldError(f, "'" + g + "' must be an absolute path"));
            }
            if (("/" + g + "/").contains("/../") || ("/" + g + "/").contains("/./")) {
                errors.add(new FieldError(f, "'" + g + "' must not contain '.' or '..' segments: name the directory itself"));
            }
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + g);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError(f, "'" + g + "' is not a valid glob: " + e.getMessage()));
            }
        }
    }
}
