package io.datastream.sink.eventtime;

import static io.datastream.sink.eventtime.Civil.isDigit;

/**
 * Seconds or milliseconds since the epoch at the start of the line: a run of digits (seconds
 * optionally followed by {@code .} and a fraction, read to the millisecond) that is not followed
 * by another digit. {@code strict} (as {@code auto} uses it) wants exactly 10 digits for seconds
 * (years 2001 to 2286) and 13 for millis; otherwise 1 to 12 and 1 to 15 digits.
 */
final class Epoch {
    private Epoch() {
    }

    static long secondsAtStart(byte[] b, int n, boolean strict) {
        int k = run(b, 0, n);
        if (strict ? k != 10 : (k < 1 || k > 12)) {
            return 0;
        }
        long v = value(b, 0, k);
        int ms = 0;
        int q = k;
        if (q + 1 < n && b[q] == '.' && isDigit(b[q + 1])) {
            q++;
            int f = 0;
            while (q < n && isDigit(b[q])) {
                if (f < 3) {
                    ms = ms * 10 + (b[q] - '0');
                }
                f++;
                q++;
            }
            for (int i = f; i < 3; i++) {
                ms *= 10;
            }
        }
        return v * 1000 + ms;
    }

    static long millisAtStart(byte[] b, int n, boolean strict) {
        int k = run(b, 0, n);
        if (strict ? k != 13 : (k < 1 || k > 15)) {
            return 0;
        }
        return value(b, 0, k);
    }

    private static int run(byte[] b, int p, int n) {
        int q = p;
        while (q < n && isDigit(b[q])) {
            q++;
        }
        return q - p;
    }

    private static long value(byte[] b, int p, int k) {
        long v = 0;
        for (int i = p; i < p + k; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }
}
