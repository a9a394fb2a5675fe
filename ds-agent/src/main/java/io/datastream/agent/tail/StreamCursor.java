package io.datastream.agent.tail;

/**
 * Where reading of one stream stands, kept between reads. Records are cut contiguously:
 * {@link #offset} is where the next one starts. While an over-long record is being truncated,
 * its first maxLineBytes bytes stay in the file and only the search for its end is remembered.
 * Also the stream's counters.
 */
public final class StreamCursor {
    /** The next record starts here; everything before it was handed to a batch. */
    long offset;
    /** Truncating an over-long record that starts at offset; its end is being searched. */
    boolean skipping;
    /** Where the search for the end of the skipped record resumes. */
    long skipPos;
    /** Multiline: complete lines of the skipped record so far. */
    int skipLines;
    /** The search resumes inside a line already known not to start a record. */
    boolean skipInLine;
    /** The end of the skipped record once found (-1 while unknown). */
    long skipEnd = -1;

    long records;
    long consumedBytes;
    long droppedLines;
    long droppedBytes;
    long splitRecords;

    public StreamCursor(long offset) {
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }

    /** Moves the cursor (a rewind to the acknowledged offset after a parked task, a restart). */
    public void reset(long newOffset) {
        offset = newOffset;
        skipping = false;
        skipEnd = -1;
        skipLines = 0;
        skipInLine = false;
    }

    /** Takes every field of {@code other}: its position, its skip state and its counters. */
    void copyFrom(StreamCursor other) {
        offset = other.offset;
        skipping = other.skipping;
        skipPos = other.skipPos;
        skipLines = other.skipLines;
        skipInLine = other.skipInLine;
        skipEnd = other.skipEnd;
        records = other.records;
        consumedBytes = other.consumedBytes;
        droppedLines = other.droppedLines;
        droppedBytes = other.droppedBytes;
        splitRecords = other.splitRecords;
    }

    public boolean skipping() {
        return skipping;
    }

    public long records() {
        return records;
    }

    public long consumedBytes() {
        return consumedBytes;
    }

    public long droppedLines() {
        return droppedLines;
    }

    public long droppedBytes() {
        return droppedBytes;
    }

    public long splitRecords() {
        return splitRecords;
    }

    /** Counts bytes that can never be read (a file truncated or deleted before they were read). */
    public void countLost(long bytes) {
        if (bytes > 0) {
            droppedBytes += bytes;
        }
    }
}
