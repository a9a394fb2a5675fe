package io.datastream.sink.config;

import io.datastream.config.ByteSize;
import io.datastream.config.Checked;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import java.io.Serializable;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * {@code output.*}: the line files: where, how compressed, what a line holds, how buckets and
 * part files are named and sized.
 */
public record OutputConfig(
        @Doc("base directory of the output on any Flink file system: file://, hdfs://namenode:8020/..., s3://bucket/...")
        String path,
        @Doc("`zstd` (files end in .zst, read with `zstd -dc`) or `gzip` (.gz, read with `zcat`)")
        Compression compression,
        @Doc(value = "compression level: zstd 1..19, gzip 1..9. zstd 6 makes files about 14% smaller at about 40% of the throughput "
                + "([benchmarks.md](benchmarks.md#sink))", defaultText = "zstd `1`, gzip `6`")
        Integer compressionLevel,
        @Doc("`raw`: each line byte for byte, then a newline. `tsv`: host, path, offset, line separated by tabs. `json`: a JSON object "
                + "with task, agent, host, path and offset, a tab, then the line")
        LineFormat format,
        @Doc("java.time DateTimeFormatter pattern of the time part of a bucket directory, applied to each line's event time (its read "
                + "time when it has none); the full bucket is `<task>/<pattern>`")
        String bucketPattern,
        @Doc("time zone of the bucket pattern (a java.time ZoneId such as UTC or Asia/Shanghai)")
        ZoneId timeZone,
        @Doc("a part file is finished early once it holds this many compressed bytes (at least 64KB); otherwise it is finished at "
                + "the next checkpoint")
        ByteSize maxPartSize,
        @Doc("file name prefix of part files (letters, digits, '.', '_', '-'; not starting with '.' or '_')")
        String partPrefix) implements Serializable, Checked {
    /** The default of {@code output.bucketPattern}. */
    public static final String DEFAULT_BUCKET_PATTERN = "'dt='yyyy-MM-dd/'hour='HH";
    private static final Pattern PART_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final long MIN_PART_SIZE = 64 << 10;

    public OutputConfig {
        path = path == null ? "file:///tmp/datastream/sink/out" : path.trim();
        compression = compression == null ? Compression.ZSTD : compression;
        compressionLevel = compressionLevel == null ? compression.defaultLevel() : compressionLevel;
        format = format == null ? LineFormat.RAW : format;
        bucketPattern = bucketPattern == null ? DEFAULT_BUCKET_PATTERN : bucketPattern.trim();
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        maxPartSize = maxPartSize == null ? ByteSize.ofMegabytes(128) : maxPartSize;
        partPrefix = partPrefix == null ? "part" : partPrefix.trim();
    }

    /** The same, with the part size in bytes. */
    public OutputConfig(String path, Compression compression, Integer compressionLevel, LineFormat format, String bucketPattern,
                        ZoneId timeZone, long maxPartSizeBytes, String partPrefix) {
        this(path, compression, compressionLevel, format, bucketPattern, timeZone, ByteSize.ofBytes(maxPartSizeBytes), partPrefix);
    }

    /** {@link #maxPartSize()} in bytes. */
    public long maxPartSizeBytes() {
        return maxPartSize.bytes();
    }

    @Override
    public void check(Problems p) {
        p.notBlank(path, "path");
        p.check(compressionLevel >= compression.minLevel() && compressionLevel <= compression.maxLevel(), "compressionLevel",
                "must be in " + compression.minLevel() + ".." + compression.maxLevel() + " for " + compression.configName() + ", was "
                        + compressionLevel);
        p.notBlank(bucketPattern, "bucketPattern");
        try {
            DateTimeFormatter.ofPattern(bucketPattern);
        } catch (IllegalArgumentException e) {
            p.add("bucketPattern", "not a valid DateTimeFormatter pattern: " + e.getMessage());
        }
        p.check(!bucketPattern.startsWith("/") && !bucketPattern.contains(".."), "bucketPattern", "must be a relative path without '..'");
        p.check(maxPartSize.bytes() >= MIN_PART_SIZE, "maxPartSize", "must be at least 64KB, was " + maxPartSize.bytes() + " bytes");
        p.check(PART_PREFIX.matcher(partPrefix).matches(), "partPrefix",
                "must be letters, digits, '.', '_' or '-', not starting with '.' or '_' (hidden files), was '" + partPrefix + "'");
    }
}
