package io.datastream.agent.tail;

import io.datastream.protocol.batch.Lines;

/** Receives records as the reader cuts them. */
@FunctionalInterface
public interface RecordSink {
    /**
     * Offers one record: {@code length} content bytes at {@code index} of {@code buf}, followed in
     * the file by {@code gap} bytes that are not content (the newline, or the cut-off rest).
     *
     * @return false to refuse it (the batch is full); the reader stops and re-reads it next time
     */
    boolean accept(byte[] buf, int index, int length, long gap);

    /**
     * Offers the whole lines from {@code from} in one call, each a record with gap 1 as {@link
     * #accept} would take it: lines that end in '\n' before {@code to} and have at most {@code
     * maxLength} content bytes, in order, up to the first that is not whole, is longer, or is
     * refused. The reader offers the line it stopped at to {@link #accept} next, so a sink may
     * take fewer than it could; it must not take a line {@code accept} would refuse. The reader's
     * cursor stays at {@code from} until the call returns. This default offers them to {@code
     * accept} one by one; the tailer's sink appends them in one loop.
     *
     * @return the lines taken and the index after the last of them ({@code from} when none), as
     *         {@link #taken}
     */
    default long acceptLines(byte[] buf, int from, int to, int maxLength) {
        int p = from;
        int lines = 0;
        while (true) {
            int nl = Lines.indexOfNewline(buf, p, to);
            if (nl < 0 || nl - p > maxLength || !accept(buf, p, nl - p, 1)) {
                return taken(lines, p);
            }
            lines++;
            p = nl + 1;
        }
    }

    /** What {@link #acceptLines} returns: {@code lines} in the high half, {@code end} in the low one. */
    static long taken(int lines, int end) {
        return (long) lines << 32 | (end & 0xFFFF_FFFFL);
    }

    /** The lines of a {@link #taken} result. */
    static int lines(long taken) {
        return (int) (taken >>> 32);
    }

    /** The index after the last line of a {@link #taken} result. */
    static int end(long taken) {
        return (int) taken;
    }
}
