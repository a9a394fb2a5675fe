package io.datastream.sink.output;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The time part of a bucket: {@code output.bucketPattern} in {@code output.timeZone} (default
 * {@code dt=YYYY-MM-DD/hour=HH}, UTC). Formatting is cached per minute (per millisecond when the
 * pattern has second or finer fields): zone offsets are whole minutes, so two times in one minute
 * always share their bucket. Used by the de-duplication (to cut a batch into one chunk per
 * bucket) and by the bucket assigner, so both agree. Not thread-safe; serializable without its
 * cache.
 */
public final class TimeBuckets implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int CACHE = 8;

    private final String pattern;
    private final ZoneId zone;
    private final long granularity;
    private transient DateTimeFormatter formatter;
    private transient long[] keys;
    private transient String[] values;

    public TimeBuckets(String pattern, ZoneId zone) {
        this.pattern = pattern;
        this.zone = zone;
        this.granularity = hasSecondFields(pattern) ? 1 : 60_000;
    }

    /** The bucket time part of {@code epochMillis}. */
    public String format(long epochMillis) {
        if (formatter == null) {
            formatter = DateTimeFormatter.ofPattern(pattern).withZone(zone);
            keys = new long[CACHE];
            values = new String[CACHE];
        }
        long key = key(epochMillis);
        int i = (int) (key & (CACHE - 1));
        if (values[i] == null || keys[i] != key) {
            keys[i] = key;
            values[i] = formatter.format(Instant.ofEpochMilli(epochMillis));
        }
        return values[i];
    }

    /** Times with the same key are in the same bucket. */
    public long key(long epochMillis) {
        return Math.floorDiv(epochMillis, granularity);
    }

    /** Whether the pattern (outside quoted text) has a field finer than a minute. */
    static boolean hasSecondFields(String pattern) {
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && "sSnNA".indexOf(c) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "TimeBuckets{pattern='" + pattern + "', zone=" + zone + "}";
    }
}
