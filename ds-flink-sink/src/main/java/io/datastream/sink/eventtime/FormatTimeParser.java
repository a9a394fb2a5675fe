package io.datastream.sink.eventtime;

import static io.datastream.sink.eventtime.Civil.isDigit;

import java.time.ZoneId;

/** The parser of one built-in format (every {@link TimeFormat} but {@code PATTERN} and {@code NONE}). */
final class FormatTimeParser extends LineTimeParser {
    private final TimeFormat format;
    private final LocalZone zone;

    FormatTimeParser(TimeFormat format, ZoneId zone) {
        if (format == TimeFormat.PATTERN || format == TimeFormat.NONE) {
            throw new IllegalArgumentException("not a built-in format: " + format);
        }
        this.format = format;
        this.zone = new LocalZone(zone);
    }

    @Override
    long parseHead(byte[] b, int n, long readTime) {
        switch (format) {
            case ISO8601:
                return scan(b, n, false);
            case CLF:
                return scan(b, n, true);
            case SYSLOG:
                return Syslog.atStart(b, n, readTime, zone);
            case EPOCH_SECONDS:
                return Epoch.secondsAtStart(b, n, false);
            case EPOCH_MILLIS:
                return Epoch.millisAtStart(b, n, false);
            case AUTO:
            default:
                return auto(b, n, readTime);
        }
    }

    /**
     * Syslog or epoch seconds/millis at the start, else the first ISO-8601 or common log format
     * time within the head.
     */
    private long auto(byte[] b, int n, long readTime) {
        if (n == 0) {
            return 0;
        }
        byte c = b[0];
        if ((c >= 'A' && c <= 'Z') || c == '<') {
            long t = Syslog.atStart(b, n, readTime, zone);
            if (t > 0) {
                return t;
            }
        } else if (isDigit(c)) {
            long t = Epoch.secondsAtStart(b, n, true);
            if (t > 0) {
                return t;
            }
            t = Epoch.millisAtStart(b, n, true);
            if (t > 0) {
                return t;
            }
        }
        return scanBoth(b, n);
    }

    /** The first ISO-8601 (a digit starting a run) or CLF ({@code [}) time within the head. */
    private long scanBoth(byte[] b, int n) {
        boolean prevDigit = false;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean digit = isDigit(c);
            long t = 0;
            if (digit && !prevDigit) {
                t = Iso8601.at(b, i, n, zone);
            } else if (c == '[') {
                t = CommonLogFormat.at(b, i, n, zone);
            }
            if (t > 0) {
                return t;
            }
            prevDigit = digit;
        }
        return 0;
    }

    private long scan(byte[] b, int n, boolean clf) {
        boolean prevDigit = false;
        for (int i = 0; i < n; i++) {
            byte c = b[i];
            boolean digit = isDigit(c);
            long t = 0;
            if (clf) {
                if (c == '[') {
                    t = CommonLogFormat.at(b, i, n, zone);
                }
            } else if (digit && !prevDigit) {
                t = Iso8601.at(b, i, n, zone);
            }
            if (t > 0) {
                return t;
            }
            prevDigit = digit;
        }
        return 0;
    }

    @Override
    public String toString() {
        return format.header();
    }
}
