package io.datastream.router.config;

import io.datastream.config.Doc;

/**
 * {@code limits.*}: bounds applied to what agents send.
 */
public record LimitsConfig(
        @Doc("agent connections at once; more get `ERROR TOO_MANY_CONNECTIONS`")
        Integer maxConnections,
        @Doc("largest BATCH body (batch id + batch); announced in WELCOME; 64 KiB .. 64 MiB")
        Integer maxBatchBytes,
        @Doc("largest declared uncompressed payload of a batch")
        Integer maxUncompressedBytes,
        @Doc("largest declared record count of a batch")
        Integer maxRecordsPerBatch) {
    /** Default: just under Kafka's default message.max.bytes (1 MiB + 12), leaving room for the record overhead. */
    public static final int DEFAULT_MAX_BATCH_BYTES = 1_000_000;
    public static final int MIN_BATCH_BYTES = 64 << 10;

    public LimitsConfig {
        maxConnections = maxConnections == null ? 10_000 : maxConnections;
        maxBatchBytes = maxBatchBytes == null ? DEFAULT_MAX_BATCH_BYTES : maxBatchBytes;
        maxUncompressedBytes = maxUncompressedBytes == null ? 32 << 20 : maxUncompressedBytes;
        maxRecordsPerBatch = maxRecordsPerBatch == null ? 1 << 20 : maxRecordsPerBatch;
    }

    public void validate(ConfigErrors e) {
        e.between(maxConnections, 1, 1_000_000, "limits.maxConnections");
        e.between(maxBatchBytes, MIN_BATCH_BYTES, 64 << 20, "limits.maxBatchBytes");
        e.between(maxUncompressedBytes, 1024, 256 << 20, "limits.maxUncompressedBytes");
        e.between(maxRecordsPerBatch, 1, 16 << 20, "limits.maxRecordsPerBatch");
    }
}
