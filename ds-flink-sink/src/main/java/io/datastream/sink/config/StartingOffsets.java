package io.datastream.sink.config;

import java.util.Locale;

/** Where the Kafka source starts when the job starts without a checkpoint or savepoint. */
public enum StartingOffsets {
    /** The consumer group's committed offsets, or the earliest offset where the group has none. */
    COMMITTED_OR_EARLIEST,
    /** The consumer group's committed offsets, or the latest offset where the group has none. */
    COMMITTED_OR_LATEST,
    /** The earliest offset of every partition. */
    EARLIEST,
    /** The latest offset of every partition. */
    LATEST;

    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
