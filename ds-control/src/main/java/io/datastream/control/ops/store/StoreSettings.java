package io.datastream.control.ops.store;

import java.nio.file.Path;

/**
 * How the store keeps its data.
 *
 * @param path                 the SQLite file (created with its folder when missing)
 * @param minuteRetentionDays  days per-minute rows are kept before being rolled up to hours
 * @param hourRetentionDays    days hourly rows are kept
 * @param maxBytes             bound of the data in the file; past it the oldest hour of data is deleted
 * @param queueCapacity        writes waiting for the writer thread; a report offered to a full queue is dropped and counted
 */
public record StoreSettings(Path path, int minuteRetentionDays, int hourRetentionDays, long maxBytes, int queueCapacity) {
    public static final int DEFAULT_MINUTE_RETENTION_DAYS = 7;
    public static final int DEFAULT_HOUR_RETENTION_DAYS = 90;
    public static final long DEFAULT_MAX_BYTES = 20L << 30;
    public static final int DEFAULT_QUEUE_CAPACITY = 1024;

    /** Defaults but the path. */
    public static StoreSettings at(Path path) {
        return new StoreSettings(path, DEFAULT_MINUTE_RETENTION_DAYS, DEFAULT_HOUR_RETENTION_DAYS, DEFAULT_MAX_BYTES,
                DEFAULT_QUEUE_CAPACITY);
    }

    long minuteRetentionMinutes() {
        return minuteRetentionDays * 1440L;
    }

    long hourRetentionHours() {
        return hourRetentionDays * 24L;
    }
}
