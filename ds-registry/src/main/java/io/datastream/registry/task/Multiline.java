package io.datastream.registry.task;

import io.datastream.config.Doc;

/**
 * Joins continuation lines to the line before them: a record starts at a line matching
 * {@code startPattern}; the following lines that do not match are appended (with their
 * newlines) until {@code maxLines} lines are joined or no line came for {@code flushTimeoutMs}.
 */
public record Multiline(
        @Doc("a line matching this regex (RE2/J syntax, searched in the line) starts a record; other lines are appended to the record before them")
        String startPattern,
        @Doc(value = "most lines joined into one record", defaultText = "`500`")
        Integer maxLines,
        @Doc(value = "a record is finished when no line came for this long", defaultText = "`2000`")
        Long flushTimeoutMs) {
    public static final int DEFAULT_MAX_LINES = 500;
    public static final long DEFAULT_FLUSH_TIMEOUT_MS = 2_000;

    public int maxLinesOrDefault() {
        return maxLines == null ? DEFAULT_MAX_LINES : maxLines;
    }

    public long flushTimeoutMsOrDefault() {
        return flushTimeoutMs == null ? DEFAULT_FLUSH_TIMEOUT_MS : flushTimeoutMs;
    }
}
