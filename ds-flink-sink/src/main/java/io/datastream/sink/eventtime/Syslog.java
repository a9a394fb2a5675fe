package io.datastream.sink.eventtime;

import static io.datastream.sink.eventtime.Civil.digits;
import static io.datastream.sink.eventtime.Civil.isDigit;

/**
 * RFC 3164 syslog time at the start of the line, after an optional {@code <PRI>}:
 * {@code Dec  3 05:12:51} or {@code Dec 03 05:12:51}, in the task's zone. The year is not
 * written: it is the year of the read time, or the year before if that would put the line more
 * than a day after the read time (a December line read in January), or if the date does not
 * exist in that year (a February 29th read in the next year).
 */
final class Syslog {
    private static final long ONE_DAY = Civil.MILLIS_PER_DAY;

    private Syslog() {
    }

    /** The time at the start of {@code b}, or 0. {@code readTime} 0 (unknown) gives no time. */
    static long atStart(byte[] b, int n, long readTime, LocalZone zone) {
        if (readTime <= 0) {
            return 0;
        }
        int p = 0;
        if (n > 0 && b[0] == '<') {
            int q = 1;
            while (q < n && q <= 4 && isDigit(b[q])) {
                q++;
            }
            if (q == 1 || q >= n || b[q] != '>') {
                return 0;
            }
            p = q + 1;
        }
        if (p + 15 > n || b[p + 3] != ' ' || b[p + 6] != ' ' || b[p + 9] != ':' || b[p + 12] != ':') {
            return 0;
        }
        int mo = Civil.month(b, p);
        int d;
        if (b[p + 4] == ' ') {
            d = digits(b, p + 5, 1);
        } else {
            d = digits(b, p + 4, 2);
        }
        int h = digits(b, p + 7, 2);
        int mi = digits(b, p + 10, 2);
        int s = digits(b, p + 13, 2);
        if (mo == 0 || d < 1 || h < 0 || mi < 0 || s < 0 || !Civil.isTime(h, mi, s)) {
            return 0;
        }
        if (p + 15 < n && isDigit(b[p + 15])) {
            return 0;
        }
        int year = Civil.yearOf(readTime + zone.offsetAt(readTime) * 1000L);
        long t = time(year, mo, d, h, mi, s, zone);
        if (t == 0 || t > readTime + ONE_DAY) {
            t = time(year - 1, mo, d, h, mi, s, zone);
        }
        return t;
    }

    private static long time(int y, int mo, int d, int h, int mi, int s, LocalZone zone) {
        if (!Civil.isDate(y, mo, d)) {
            return 0;
        }
        return zone.toEpochSeconds(Civil.localSeconds(y, mo, d, h, mi, s)) * 1000;
    }
}
