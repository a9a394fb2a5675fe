package io.datastream.sink.eventtime;

import static io.datastream.sink.eventtime.Civil.digits;

/**
 * The time of nginx's and Apache's common and combined log formats:
 * {@code [03/Dec/2026:05:12:51 +0000]} (day, English month abbreviation, year, time, offset).
 * Without the offset the time is in the task's zone.
 */
final class CommonLogFormat {
    private CommonLogFormat() {
    }

    /** The time whose {@code [} is at {@code b[p]}, or 0 if there is none there. */
    static long at(byte[] b, int p, int n, LocalZone zone) {
        if (p + 21 > n || b[p] != '[' || b[p + 3] != '/' || b[p + 7] != '/' || b[p + 12] != ':' || b[p + 15] != ':' || b[p + 18] != ':') {
            return 0;
        }
        int d = digits(b, p + 1, 2);
        int mo = Civil.month(b, p + 4);
        int y = digits(b, p + 8, 4);
        int h = digits(b, p + 13, 2);
        int mi = digits(b, p + 16, 2);
        int s = digits(b, p + 19, 2);
        if (d < 0 || mo == 0 || y < 0 || h < 0 || mi < 0 || s < 0 || !Civil.isDate(y, mo, d) || !Civil.isTime(h, mi, s)) {
            return 0;
        }
        long local = Civil.localSeconds(y, mo, d, h, mi, s);
        int q = p + 21;
        long offset = Iso8601.NO_OFFSET;
        if (q + 6 <= n && b[q] == ' ' && (b[q + 1] == '+' || b[q + 1] == '-')) {
            int hhmm = digits(b, q + 2, 4);
            if (hhmm < 0 || hhmm / 100 > 18 || hhmm % 100 > 59) {
                return 0;
            }
            offset = (hhmm / 100) * 3600L + (hhmm % 100) * 60L;
            if (b[q + 1] == '-') {
                offset = -offset;
            }
        } else if (q < n && b[q] != ']') {
            return 0;
        }
        long epoch = offset == Iso8601.NO_OFFSET ? zone.toEpochSeconds(local) : local - offset;
        return epoch * 1000;
    }
}
