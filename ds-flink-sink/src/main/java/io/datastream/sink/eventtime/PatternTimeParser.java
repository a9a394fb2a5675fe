package io.datastream.sink.eventtime;

import java.text.ParsePosition;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * A java.time pattern matched at the start of the line (text after it is ignored), English month
 * and day names, the task's zone unless the pattern parses an offset or zone. The pattern must
 * give a date with its year and a time. The line's head is read through a reused
 * {@link CharSequence} view (bytes as ISO-8859-1); a line that does not match is rejected by
 * {@link DateTimeFormatter#parseUnresolved} without an exception.
 */
final class PatternTimeParser extends LineTimeParser {
    private final String pattern;
    private final DateTimeFormatter formatter;
    private final HeadChars chars = new HeadChars();
    private final ParsePosition position = new ParsePosition(0);

    /** @throws IllegalArgumentException if {@code pattern} is not a java.time pattern */
    PatternTimeParser(String pattern, ZoneId zone) {
        this.pattern = pattern;
        this.formatter = new DateTimeFormatterBuilder().appendPattern(pattern).toFormatter(Locale.ENGLISH).withZone(zone);
    }

    @Override
    long parseHead(byte[] b, int n, long readTime) {
        chars.reset(b, n);
        position.setIndex(0);
        position.setErrorIndex(-1);
        if (formatter.parseUnresolved(chars, position) == null) {
            return 0;
        }
        try {
            position.setIndex(0);
            position.setErrorIndex(-1);
            TemporalAccessor t = formatter.parse(chars, position);
            long seconds = t.getLong(ChronoField.INSTANT_SECONDS);
            int millis = t.isSupported(ChronoField.MILLI_OF_SECOND) ? t.get(ChronoField.MILLI_OF_SECOND) : 0;
            return Math.addExact(Math.multiplyExact(seconds, 1000L), millis);
        } catch (DateTimeException | ArithmeticException e) {
            return 0;
        }
    }

    @Override
    public String toString() {
        return "pattern '" + pattern + "'";
    }

    /** Bytes {@code [0, n)} of an array as chars (ISO-8859-1), without copying. */
    private static final class HeadChars implements CharSequence {
        private byte[] b;
        private int n;

        void reset(byte[] bytes, int length) {
            this.b = bytes;
            this.n = length;
        }

        @Override
        public int length() {
            return n;
        }

        @Override
        public char charAt(int index) {
            if (index < 0 || index >= n) {
                throw new IndexOutOfBoundsException(index);
            }
            return (char) (b[index] & 0xFF);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return toString().substring(start, end);
        }

        @Override
        public String toString() {
            return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
