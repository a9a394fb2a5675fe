package io.datastream.config;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A number of bytes as configuration files write it: {@code 1048576}, {@code 64KB}, {@code 128MB},
 * {@code 1GB} (powers of 1024; {@code K}, {@code KiB} and {@code B} are accepted too).
 * {@link ConfigBinder} reads it from an integer or such a string.
 */
public record ByteSize(long bytes) implements Serializable {
    private static final Pattern TEXT = Pattern.compile("(\\d+)\\s*(B|K|KB|KIB|M|MB|MIB|G|GB|GIB)?");

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("a size is at least 0 bytes, was " + bytes);
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofMegabytes(long mb) {
        return new ByteSize(Math.multiplyExact(mb, 1L << 20));
    }

    /** Parses {@code 64KB} and the like. @throws IllegalArgumentException saying what is accepted */
    public static ByteSize parse(String text) {
        Matcher m = TEXT.matcher(text.trim().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a size such as 1048576, 64KB, 128MB or 1GB, was '" + text + "'");
        }
        String unit = m.group(2) == null ? "B" : m.group(2);
        int shift = switch (unit.charAt(0)) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > (Long.MAX_VALUE >> shift)) {
                throw new NumberFormatException();
            }
            return new ByteSize(n << shift);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("size '" + text + "' is too large");
        }
    }

    /** The largest unit that divides it: {@code 128MB}, {@code 64KB}, {@code 1000B}. */
    @Override
    public String toString() {
        if (bytes > 0 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + "GB";
        }
        if (bytes > 0 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        if (bytes > 0 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + "KB";
        }
        return bytes + "B";
    }
}
