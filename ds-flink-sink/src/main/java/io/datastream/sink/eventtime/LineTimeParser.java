package io.datastream.sink.eventtime;

import io.netty.buffer.ByteBuf;

/**
 * Finds the event time in a line's bytes. One instance per operator subtask and format: it
 * keeps a scratch array and zone caches, so it is not thread-safe. Never throws for any bytes.
 */
public abstract class LineTimeParser {
    /** No time found. */
    public static final long NO_TIME = Long.MIN_VALUE;
    /** How many bytes of a line are looked at. */
    public static final int HEAD = 128;

    private final byte[] head = new byte[HEAD];

    /**
     * The event time (epoch millis, always > 0) of the line of {@code length} bytes at
     * {@code index} in {@code buf}, or {@link #NO_TIME}. {@code readTime} is when the agent read
     * the batch (epoch millis, 0 if unknown); syslog takes the year from it.
     */
    public final long parse(ByteBuf buf, int index, int length, long readTime) {
        int n = Math.min(length, HEAD);
        buf.getBytes(index, head, 0, n);
        return parse(head, n, readTime);
    }

    /** The same on {@code b[0, n)}: the line's first bytes ({@code n <= HEAD}). */
    public final long parse(byte[] b, int n, long readTime) {
        long t;
        try {
            t = parseHead(b, n, readTime);
        } catch (RuntimeException e) {
            return NO_TIME; // a line must never fail its batch; the fuzz tests call parseHead to find such bugs
        }
        return t > 0 ? t : NO_TIME;
    }

    /** The time in {@code b[0, n)}, or any value <= 0 for none. */
    abstract long parseHead(byte[] b, int n, long readTime);
}
