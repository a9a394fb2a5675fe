package io.datastream.control.api;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Time query parameters: an epoch minute, an ISO-8601 instant, or (for {@code since}) an age like 90m, 1h, 2d. */
final class TimeParams {
    private static final Pattern AGE = Pattern.compile("(\\d{1,6})([smhd])");

    private TimeParams() {
    }

    /** An epoch minute from {@code name}: an integer (epoch minute) or an ISO-8601 instant; {@code dflt} when absent. */
    static long minute(Context ctx, String name, long dflt) {
        String s = Http.param(ctx, name);
        if (s == null) {
            return dflt;
        }
        if (s.matches("-?\\d{1,12}")) {
            return Long.parseLong(s);
        }
        try {
            return Math.floorDiv(Instant.parse(s).getEpochSecond(), 60);
        } catch (DateTimeParseException e) {
            throw ApiException.badField(name, "must be an epoch minute or an ISO-8601 instant like 2026-12-03T06:00:00Z, was '" + s + "'");
        }
    }

    /** {@code since}: an age (30m, 1h, 2d) before now, an ISO-8601 instant or an epoch minute; {@code dflt} minutes ago when absent. */
    static long since(Context ctx, long nowMinute, long dfltMinutes) {
        String s = Http.param(ctx, "since");
        if (s == null) {
            return nowMinute - dfltMinutes;
        }
        Matcher m = AGE.matcher(s);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            long minutes = switch (m.group(2)) {
                case "s" -> Math.max(1, n / 60);
                case "m" -> n;
                case "h" -> n * 60;
                default -> n * 1440;
            };
            return nowMinute - minutes;
        }
        return minute(ctx, "since", nowMinute - dfltMinutes);
    }
}
