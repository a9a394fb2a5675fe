package io.datastream.sink.eventtime;

/** Calendar arithmetic on plain numbers (proleptic Gregorian), without java.time objects. */
final class Civil {
    static final long MILLIS_PER_DAY = 86_400_000L;
    private static final int[] DAYS = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    private Civil() {
    }

    static boolean isLeap(int y) {
        return (y & 3) == 0 && (y % 100 != 0 || y % 400 == 0);
    }

    /** Whether y-m-d is a date (year 1..9999). */
    static boolean isDate(int y, int m, int d) {
        if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1) {
            return false;
        }
        return d <= (m == 2 && isLeap(y) ? 29 : DAYS[m - 1]);
    }

    static boolean isTime(int h, int mi, int s) {
        return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 60; // 60: a leap second, read as :59 + 1 s
    }

    /** Days since 1970-01-01 of a valid date (H. Hinnant's days_from_civil). */
    static long epochDay(int y, int m, int d) {
        y -= m <= 2 ? 1 : 0;
        long era = Math.floorDiv(y, 400);
        long yoe = y - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146_097 + doe - 719_468;
    }

    /** Local epoch seconds (the wall time read as if it were UTC). */
    static long localSeconds(int y, int mo, int d, int h, int mi, int s) {
        return epochDay(y, mo, d) * 86_400L + h * 3600L + mi * 60L + s;
    }

    /** The year (in UTC after adding {@code offsetSeconds}) of epoch millis {@code t}. */
    static int yearOf(long localMillis) {
        long z = Math.floorDiv(localMillis, MILLIS_PER_DAY) + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long y = yoe + era * 400;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        long m = mp + (mp < 10 ? 3 : -9);
        return (int) (y + (m <= 2 ? 1 : 0));
    }

    /** Month 1..12 of a three-letter English abbreviation at {@code b[p]} (case-sensitive first letter upper), or 0. */
    static int month(byte[] b, int p) {
        int c0 = b[p];
        int c1 = b[p + 1] | 0x20;
        int c2 = b[p + 2] | 0x20;
        switch (c0) {
            case 'J':
                return c1 == 'a' && c2 == 'n' ? 1 : c1 == 'u' ? (c2 == 'n' ? 6 : c2 == 'l' ? 7 : 0) : 0;
            case 'F':
                return c1 == 'e' && c2 == 'b' ? 2 : 0;
            case 'M':
                return c1 == 'a' ? (c2 == 'r' ? 3 : c2 == 'y' ? 5 : 0) : 0;
            case 'A':
                return c1 == 'p' && c2 == 'r' ? 4 : c1 == 'u' && c2 == 'g' ? 8 : 0;
            case 'S':
                return c1 == 'e' && c2 == 'p' ? 9 : 0;
            case 'O':
                return c1 == 'c' && c2 == 't' ? 10 : 0;
            case 'N':
                return c1 == 'o' && c2 == 'v' ? 11 : 0;
            case 'D':
                return c1 == 'e' && c2 == 'c' ? 12 : 0;
            default:
                return 0;
        }
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** The value of the {@code n} digits at {@code b[p]}, or -1 if one is not a digit (the caller checks bounds). */
    static int digits(byte[] b, int p, int n) {
        int v = 0;
        for (int i = p; i < p + n; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) {
                return -1;
            }
            v = v * 10 + c;
        }
        return v;
    }
}
