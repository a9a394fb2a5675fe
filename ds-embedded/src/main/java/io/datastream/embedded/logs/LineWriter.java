package io.datastream.embedded.logs;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array that one line is written into; ASCII fast paths, UTF-8 otherwise. */
final class LineWriter {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[1024];
    private int len;

    void reset() {
        len = 0;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    LineWriter ch(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    private LineWriter bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, len, b.length);
        len += b.length;
        return this;
    }

    LineWriter str(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                return bytes(s.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            buf[len++] = (byte) c;
        }
        return this;
    }

    LineWriter num(long v) {
        if (v < 0) {
            ch('-');
            v = -v;
        }
        ensure(20);
        int start = len;
        do {
            buf[len++] = (byte) ('0' + (v % 10));
            v /= 10;
        } while (v != 0);
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** {@code v} with at least {@code width} digits, zero-padded. */
    LineWriter padded(long v, int width) {
        long p = 10;
        for (int i = 1; i < width; i++, p *= 10) {
            if (v < p) {
                for (int k = i; k < width; k++) {
                    ch('0');
                }
                break;
            }
        }
        return num(v);
    }

    /** {@code digits} lower-case hex digits of {@code v}. */
    LineWriter hex(long v, int digits) {
        ensure(digits);
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = HEX[(int) (v >>> (4 * i)) & 0xF];
        }
        return this;
    }

    /** Appends {@code s} as the inside of a JSON string (quotes and backslashes escaped). */
    LineWriter jsonEscaped(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                ch('\\').ch(c);
            } else if (c == '\t') {
                ch('\\').ch('t');
            } else if (c >= 0x80) {
                str(String.valueOf(c));
            } else {
                ch(c);
            }
        }
        return this;
    }
}
