package io.datastream.embedded.logs;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/** Event time of generated lines: starts at a fixed instant and moves forward a little per line. */
final class LogClock {
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private long millis;
    private long cachedSecond = Long.MIN_VALUE;
    private LocalDateTime cached;

    LogClock(long startMillis) {
        this.millis = startMillis;
    }

    long millis() {
        return millis;
    }

    void advance(long ms) {
        millis += ms;
    }

    private LocalDateTime time() {
        long second = Math.floorDiv(millis, 1000);
        if (second != cachedSecond) {
            cachedSecond = second;
            cached = LocalDateTime.ofInstant(Instant.ofEpochSecond(second), ZoneOffset.UTC);
        }
        return cached;
    }

    private int ms() {
        return (int) Math.floorMod(millis, 1000L);
    }

    /** {@code 01/May/2024:12:00:00 +0000} (combined log format). */
    void writeClf(LineWriter w) {
        LocalDateTime t = time();
        w.padded(t.getDayOfMonth(), 2).ch('/').str(MONTHS[t.getMonthValue() - 1]).ch('/').num(t.getYear()).ch(':')
                .padded(t.getHour(), 2).ch(':').padded(t.getMinute(), 2).ch(':').padded(t.getSecond(), 2).str(" +0000");
    }

    /** {@code 2024-05-01 12:00:00.123} (logback's default). */
    void writeLogback(LineWriter w) {
        LocalDateTime t = time();
        w.num(t.getYear()).ch('-').padded(t.getMonthValue(), 2).ch('-').padded(t.getDayOfMonth(), 2).ch(' ')
                .padded(t.getHour(), 2).ch(':').padded(t.getMinute(), 2).ch(':').padded(t.getSecond(), 2).ch('.').padded(ms(), 3);
    }

    /** {@code 2024-05-01T12:00:00.123Z} (ISO 8601, UTC). */
    void writeIso(LineWriter w) {
        LocalDateTime t = time();
        w.num(t.getYear()).ch('-').padded(t.getMonthValue(), 2).ch('-').padded(t.getDayOfMonth(), 2).ch('T')
                .padded(t.getHour(), 2).ch(':').padded(t.getMinute(), 2).ch(':').padded(t.getSecond(), 2).ch('.').padded(ms(), 3).ch('Z');
    }
}
