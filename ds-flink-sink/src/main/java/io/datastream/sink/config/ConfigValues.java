package io.datastream.sink.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the text of scalar values; every error names the key. */
final class ConfigValues {
    private ConfigValues() {
    }

    static int parseInt(String key, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "expected an integer, got '" + text + "'");
        }
    }

    static boolean parseBoolean(String key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("true")) {
            return true;
        }
        if (t.equals("false")) {
            return false;
        }
        throw new ConfigException(key, "expected true or false, got '" + text + "'");
    }

    /** {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 7d}, or ISO-8601 such as {@code PT5S}. */
    static Duration parseDuration(String key, String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) {
            try {
                return Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new ConfigException(key, "expected a duration such as 500ms, 5s, 10m, 2h, 7d or PT5S, got '" + text + "'");
            }
        }
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new ConfigException(key, "expected a duration such as 500ms, 5s, 10m, 2h, 7d or PT5S, got '" + text + "'");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "duration '" + text + "' is too large");
        }
        String unit = t.substring(i).trim();
        try {
            switch (unit) {
                case "ms":
                    return Duration.ofMillis(n);
                case "s":
                    return Duration.ofSeconds(n);
                case "m":
                case "min":
                    return Duration.ofMinutes(n);
                case "h":
                    return Duration.ofHours(n);
                case "d":
                    return Duration.ofDays(n);
                default:
                    throw new ConfigException(key, "unknown duration unit '" + unit + "' in '" + text + "': use ms, s, m, h or d");
            }
        } catch (ArithmeticException e) {
            throw new ConfigException(key, "duration '" + text + "' is too large");
        }
    }

    /** A byte count: {@code 1048576}, {@code 64KB}, {@code 128MB}, {@code 1GB} (powers of 1024). */
    static long parseSize(String key, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && Character.isDigit(t.charAt(i))) {
            i++;
        }
        if (i == 0) {
            throw new ConfigException(key, "expected a size such as 1048576, 64KB, 128MB or 1GB, got '" + text + "'");
        }
        long n;
        try {
            n = Long.parseLong(t.substring(0, i));
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "size '" + text + "' is too large");
        }
        String unit = t.substring(i).trim();
        long mult;
        switch (unit) {
            case "":
            case "B":
                mult = 1;
                break;
            case "KB":
            case "K":
                mult = 1L << 10;
                break;
            case "MB":
            case "M":
                mult = 1L << 20;
                break;
            case "GB":
            case "G":
                mult = 1L << 30;
                break;
            default:
                throw new ConfigException(key, "unknown size unit '" + unit + "' in '" + text + "': use B, KB, MB or GB");
        }
        try {
            return Math.multiplyExact(n, mult);
        } catch (ArithmeticException e) {
            throw new ConfigException(key, "size '" + text + "' is too large");
        }
    }

    /** An enum constant from its YAML name ({@code committed-or-earliest}), case-insensitive. */
    static <E extends Enum<E>> E parseEnum(String key, String text, Class<E> type) {
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(t)) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            if (known.length() > 0) {
                known.append(", ");
            }
            known.append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        throw new ConfigException(key, "unknown value '" + text + "', expected one of: " + known);
    }
}
