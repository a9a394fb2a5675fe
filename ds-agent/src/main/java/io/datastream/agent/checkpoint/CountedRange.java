package io.datastream.agent.checkpoint;

/**
 * Lines of a stream counted as read in one minute: those before {@code endOffset} and after the
 * previous range's end (or the acknowledged offset). A stream's ranges cover its lines from the
 * acknowledged offset to the counted offset, so that lines read again after a restart or a rewind
 * are sent in batches of the minute they were first read in; routers and the sink count them in
 * that minute too, and the audit's minute stays exact.
 */
public record CountedRange(long endOffset, long minute) {
    /** Most ranges kept per stream (the oldest are dropped first; lines below them take the oldest kept minute). */
    public static final int MAX = 64;
}
