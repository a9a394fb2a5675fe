package io.datastream.sink.eventtime;

import static io.datastream.sink.eventtime.Civil.digits;
import static io.datastream.sink.eventtime.Civil.isDigit;

/**
 * ISO-8601 / RFC 3339 date-times: {@code yyyy-MM-dd}, then {@code T}, {@code t} or a space,
 * {@code HH:mm}, optionally {@code :ss} and a fraction after {@code .} or {@code ,} (1 to 9
 * digits, read to the millisecond), then optionally {@code Z} or an offset {@code +HH:MM},
 * {@code +HHMM} or {@code +HH}. Without an offset the time is in the task's zone. A date alone
 * is not a time.
 */
final class Iso8601 {
    private Iso8601() {
    }

    /** The time starting at {@code b[p]}, or 0 if there is none there. */
    static long at(byte[] b, int p, int n, LocalZone zone) {
        if (p + 16 > n || b[p + 4] != '-' || b[p + 7] != '-' || b[p + 13] != ':') {
            return 0;
        }
        byte sep = b[p + 10];
        if (sep != 'T' && sep != 't' && sep != ' ') {
            return 0;
        }
        int y = digits(b, p, 4);
        int mo = digits(b, p + 5, 2);
        int d = digits(b, p + 8, 2);
        int h = digits(b, p + 11, 2);
        int mi = digits(b, p + 14, 2);
        int q = p + 16;
        int s = 0;
        int ms = 0;
        if (q + 3 <= n && b[q] == ':') {
            s = digits(b, q + 1, 2);
            if (s < 0) {
                return 0;
            }
            q += 3;
            if (q + 1 < n && (b[q] == '.' || b[q] == ',') && isDigit(b[q + 1])) {
                q++;
                int k = 0;
                while (q < n && isDigit(b[q]) && k < 9) {
                    if (k < 3) {
                        ms = ms * 10 + (b[q] - '0');
                    }
                    k++;
                    q++;
                }
                for (int i = k; i < 3; i++) {
                    ms *= 10;
                }
            }
        }
        if (q < n && isDigit(b[q])) {
            return 0; // more digits than the format has
        }
        if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || !Civil.isDate(y, mo, d) || !Civil.isTime(h, mi, s)) {
            return 0;
        }
        long local = Civil.localSeconds(y, mo, d, h, mi, s);
        long offset = offset(b, q, n);
        long epoch = offset == NO_OFFSET ? zone.toEpochSeconds(local) : local - offset;
        return epoch * 1000 + ms;
    }

    static final long NO_OFFSET = Long.MIN_VALUE;

    /** The offset in seconds written at {@code b[q]} ({@code Z}, {@code +HH:MM}, {@code +HHMM}, {@code +HH}), or {@link #NO_OFFSET}. */
    static long offset(byte[] b, int q, int n) {
        if (q >= n) {
            return NO_OFFSET;
        }
        byte c = b[q];
        if (c == 'Z' || c == 'z') {
            return 0;
        }
        if ((c != '+' && c != '-') || q + 3 > n) {
            return NO_OFFSET;
        }
        int oh = digits(b, q + 1, 2);
        if (oh < 0 || oh > 18) {
            return NO_OFFSET;
        }
        int r = q + 3;
        if (r < n && b[r] == ':') {
            r++;
        }
        int om = 0;
        if (r + 2 <= n) {
            int v = digits(b, r, 2);
            if (v >= 0) {
                if (v > 59) {
                    return NO_OFFSET;
                }
                om = v;
            }
        }
        long off = oh * 3600L + om * 60L;
        return c == '-' ? -off : off;
    }
}
