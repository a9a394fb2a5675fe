package io.datastream.protocol.batch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The newline search the agent cuts lines with, and {@link BatchBuilder#appendLines} too. */
public final class Lines {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Lines() {
    }

    /**
     * Index of the first '\n' in {@code b[from, to)}, or -1. Eight bytes a word (SWAR: a word's
     * lowest byte equal to '\n' is its lowest byte whose high bit survives {@code (w - ONES) & ~w});
     * two words a step, because the agent runs C1 only, which does not unroll loops: that halves
     * the loop's overhead per byte (about a third faster there, a quarter under C2).
     */
    public static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 16 <= to; i += 16) {
            long w = (long) LONG.get(b, i) ^ NEWLINES;
            long v = (long) LONG.get(b, i + 8) ^ NEWLINES;
            long t = (w - ONES) & ~w & HIGHS;
            long u = (v - ONES) & ~v & HIGHS;
            if ((t | u) != 0) {
                return t != 0 ? i + lowestMarked(t) : i + 8 + lowestMarked(u);
            }
        }
        for (; i + 8 <= to; i += 8) {
            long w = (long) LONG.get(b, i) ^ NEWLINES;
            long t = (w - ONES) & ~w & HIGHS;
            if (t != 0) {
                return i + lowestMarked(t);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Index (0-7, from the lowest) of the lowest byte whose high bit is set in {@code marks}, a
     * nonzero word with only high bits of bytes set. {@code marks & -marks} keeps the lowest of
     * them; shifted down by 7 it is {@code 1 << 8k}, and the multiply moves byte {@code 7 - k} of
     * the constant, which holds {@code k}, into the top byte. C1 (the agent's only compiler) calls
     * {@code Long.numberOfTrailingZeros} as a method rather than an instruction; this is a
     * negation, an and, two shifts and a multiply, inline (the newline search alone 15-25 % faster
     * under C1; docs/benchmarks.md).
     */
    static int lowestMarked(long marks) {
        return (int) ((((marks & -marks) >>> 7) * 0x0001020304050607L) >>> 56);
    }
}
