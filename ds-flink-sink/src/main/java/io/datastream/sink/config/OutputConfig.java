package io.datastream.sink.config;

import java.io.Serializable;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * The line files: where, how compressed, what a line holds, how buckets and part files are
 * named and sized.
 */
public record OutputConfig(String path, Compression compression, int compressionLevel, LineFormat format,
                           String bucketPattern, ZoneId timeZone, long maxPartSizeBytes, String partPrefix)
        implements Serializable {

    private static final Pattern PART_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final long MIN_PART_SIZE = 64 << 10;

    public OutputConfig {
        path = SinkConfigKey.OUTPUT_PATH.requireText(path);
        if (compression == null) {
            throw new ConfigException(SinkConfigKey.OUTPUT_COMPRESSION.key(), "must be set");
        }
        if (compressionLevel < compression.minLevel() || compressionLevel > compression.maxLevel()) {
            throw new ConfigException(SinkConfigKey.OUTPUT_COMPRESSION_LEVEL.key(), "must be in " + compression.minLevel() + ".."
                    + compression.maxLevel() + " for " + compression.configName() + ", was " + compressionLevel);
        }
        if (format == null) {
            throw new ConfigException(SinkConfigKey.OUTPUT_FORMAT.key(), "must be set");
        }
        bucketPattern = SinkConfigKey.OUTPUT_BUCKET_PATTERN.requireText(bucketPattern);
        try {
            DateTimeFormatter.ofPattern(bucketPattern);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(SinkConfigKey.OUTPUT_BUCKET_PATTERN.key(), "not a valid DateTimeFormatter pattern: " + e.getMessage(), e);
        }
        if (bucketPattern.startsWith("/") || bucketPattern.contains("..")) {
            throw new ConfigException(SinkConfigKey.OUTPUT_BUCKET_PATTERN.key(), "must be a relative path without '..'");
        }
        if (timeZone == null) {
            throw new ConfigException(SinkConfigKey.OUTPUT_TIME_ZONE.key(), "must be set");
        }
        if (maxPartSizeBytes < MIN_PART_SIZE) {
            throw new ConfigException(SinkConfigKey.OUTPUT_MAX_PART_SIZE.key(), "must be at least 64KB, was " + maxPartSizeBytes + " bytes");
        }
        partPrefix = SinkConfigKey.OUTPUT_PART_PREFIX.requireText(partPrefix);
        if (!PART_PREFIX.matcher(partPrefix).matches()) {
            throw new ConfigException(SinkConfigKey.OUTPUT_PART_PREFIX.key(),
                    "must be letters, digits, '.', '_' or '-', not starting with '.' or '_' (hidden files), was '" + partPrefix + "'");
        }
    }
}
