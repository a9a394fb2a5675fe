package io.datastream.agent.tail;

import com.google.re2j.Pattern;
import io.datastream.registry.task.TaskSpec;

/**
 * How a task cuts a file into records.
 *
 * @param maxLineBytes   longest record content
 * @param split          over-long records are split into pieces (true) or truncated (false)
 * @param startPattern   multiline: a record starts at a line matching this; null = one record per line
 * @param maxLines       multiline: most lines joined into one record
 * @param flushTimeoutMs multiline: a group with no new line for this long is complete
 */
public record LineRules(int maxLineBytes, boolean split, Pattern startPattern, int maxLines, long flushTimeoutMs) {
    /** How many leading bytes of a line the start pattern sees. */
    public static final int START_PREFIX_BYTES = 1024;

    public static LineRules of(TaskSpec spec) {
        boolean split = spec.overLongLines() == TaskSpec.OverLongLines.SPLIT;
        if (spec.multiline() == null) {
            return new LineRules(spec.maxLineBytes(), split, null, 1, 0);
        }
        return new LineRules(spec.maxLineBytes(), split, Pattern.compile(spec.multiline().startPattern()),
                spec.multiline().maxLinesOrDefault(), spec.multiline().flushTimeoutMsOrDefault());
    }

    public static LineRules plain(int maxLineBytes, boolean split) {
        return new LineRules(maxLineBytes, split, null, 1, 0);
    }

    public boolean multiline() {
        return startPattern != null;
    }

    /** Bytes of a line's start the pattern is matched against. */
    public int evalPrefix() {
        return Math.min(START_PREFIX_BYTES, maxLineBytes);
    }
}
