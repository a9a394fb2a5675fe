package io.datastream.agent.tail;

import com.google.re2j.Pattern;
import io.datastream.protocol.batch.Lines;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Cuts a file into records, from a {@link StreamCursor}'s offset, into a {@link RecordSink}.
 * One reader per thread: it owns a read buffer that it reuses for every file. Nothing is
 * allocated per line: lines are found by a word-at-a-time newline search in the buffer and
 * handed to the sink as (buffer, index, length, gap); without multiline rules, the whole lines
 * from a line's start are offered in one call first ({@link RecordSink#acceptLines}), and the
 * line it stops at goes on alone.
 *
 * <ul>
 *   <li>A record is complete only when its newline is read; a partial last line stays in the
 *       file until the next read, unless the read is final (the file is being released), when it
 *       becomes a record with gap 0.</li>
 *   <li>Multiline: a record runs from a line matching the start pattern to the line before the
 *       next one, at most maxLines lines; a group is also complete when a timed-out read asks.</li>
 *   <li>Over-long records (more than maxLineBytes content bytes) are split into pieces, or
 *       truncated: the first maxLineBytes bytes are sent, the rest is skipped while searching for
 *       the record's end (without buffering it) and counted as dropped. Memory is bounded by
 *       maxLineBytes + 1, whatever the line length.</li>
 * </ul>
 */
public class RecordReader { // not final: tests inject a failure part-way through a read
    /** What stopped a read. */
    public enum Outcome {
        /** Everything readable was read (a partial line may wait in the file). */
        EOF,
        /** The byte budget of this read was used up; more may be readable now. */
        BUDGET,
        /** The sink refused a record (batch full). */
        FULL
    }

    private static final int UNKNOWN = -1;
    private static final int CONT = 0;
    private static final int START = 1;

    private final int baseCapacity;
    private byte[] buf;
    private ByteBuffer view;
    private long bigSinceMillis;

    // state of one read
    private FileChannel ch;
    private StreamCursor c;
    private LineRules rules;
    private StartMatcher matcher;
    private Pattern matcherPattern;
    private RecordSink sink;
    private long pos;
    private int len;
    private int recStart;
    private int lineStart;
    private int lineEval;
    private int scan;
    private int groupLines;
    private boolean skipping;
    private long skipHead;
    private boolean dropped;

    public RecordReader(int readBufferBytes) {
        this.baseCapacity = readBufferBytes;
        this.buf = new byte[readBufferBytes];
        this.view = ByteBuffer.wrap(buf);
    }

    /** Bytes held by the read buffer now (it grows for long records and shrinks back later). */
    public int capacity() {
        return buf.length;
    }

    /**
     * Reads records of the file behind {@code channel} from {@code cursor}'s offset.
     *
     * @param budget       bytes to read at most (records already in the buffer are still cut)
     * @param finalFlush   the file will not grow any more: a partial last line or pending group is a record
     * @param timeoutFlush multiline: the pending group timed out, it is complete at its last full line
     * @return whether it stopped at the end of the data, the budget, or a full sink; the
     *         cursor's offset is always at the next record to read
     */
    public Outcome read(FileChannel channel, StreamCursor cursor, LineRules lineRules, RecordSink recordSink,
                        long budget, boolean finalFlush, boolean timeoutFlush, long nowMillis) throws IOException {
        this.ch = channel;
        this.c = cursor;
        this.rules = lineRules;
        this.sink = recordSink;
        this.dropped = false;
        if (rules.multiline() && (matcher == null || matcherPattern != rules.startPattern())) {
            matcher = new StartMatcher(rules.startPattern());
            matcherPattern = rules.startPattern();
        }
        try {
            return run(budget, finalFlush, timeoutFlush);
        } finally {
            this.ch = null;
            this.sink = null;
            shrink(nowMillis);
        }
    }

    /** True when the last read dropped bytes (truncated a record) for the first time in that call. */
    public boolean droppedInLastRead() {
        return dropped;
    }

    private Outcome run(long budget, boolean finalFlush, boolean timeoutFlush) throws IOException {
        if (c.skipping && c.skipEnd >= 0) {
            skipHead = c.offset;
            if (!finishSkip(c.skipEnd, (int) (c.skipEnd - c.skipPos))) {
                return Outcome.FULL;
            }
        } else if (c.skipping) {
            startSkipResume();
        } else {
            startNormal(c.offset);
        }
        long read = 0;
        while (true) {
            int r = skipping ? scanSkip() : scanNormal();
            if (r == FULL) {
                return Outcome.FULL;
            }
            if (r == RESTART) {
                continue;
            }
            if (read >= budget) {
                saveState();
                return Outcome.BUDGET;
            }
            ensureSpace();
            view.limit(buf.length).position(len);
            int n = ch.read(view, pos + len);
            if (n <= 0) {
                return atEof(finalFlush, timeoutFlush);
            }
            len += n;
            read += n;
        }
    }

    private static final int NEED = 0;
    private static final int FULL = 1;
    private static final int RESTART = 2;

    private void startNormal(long at) {
        skipping = false;
        pos = at;
        len = 0;
        recStart = 0;
        lineStart = 0;
        lineEval = UNKNOWN;
        scan = 0;
        groupLines = 0;
    }

    private void startSkipResume() {
        skipping = true;
        skipHead = c.offset;
        pos = c.skipPos;
        len = 0;
        scan = 0;
        recStart = -1;
        groupLines = c.skipLines;
        if (c.skipInLine) {
            lineStart = -1;
            lineEval = CONT;
        } else {
            lineStart = 0;
            lineEval = UNKNOWN;
        }
    }

    private boolean isStart(int index, int length) {
        return matcher.matches(buf, index, Math.min(length, rules.evalPrefix()));
    }

    // ------------------------------------------------------------------ normal mode

    private int scanNormal() {
        final int max = rules.maxLineBytes();
        final boolean multi = rules.multiline();
        while (true) {
            if (!multi && scan == recStart) {
                // The whole lines from here in one call (a loop in the sink instead of calls per
                // line); the line it stops at, if any, goes on below as before.
                long taken = sink.acceptLines(buf, recStart, len, max);
                int lines = RecordSink.lines(taken);
                if (lines > 0) {
                    int end = RecordSink.end(taken);
                    c.records += lines;
                    c.consumedBytes += end - recStart;
                    c.offset = pos + end;
                    recStart = end;
                    lineStart = end;
                    scan = end;
                }
            }
            int nl = Lines.indexOfNewline(buf, scan, len);
            if (nl < 0) {
                scan = len;
                if (multi && lineEval == UNKNOWN && len - lineStart >= rules.evalPrefix()) {
                    lineEval = isStart(lineStart, len - lineStart) ? START : CONT;
                    if (lineEval == START && groupLines > 0 && lineStart > recStart) {
                        if (!emitTo(lineStart - 1, 1)) {
                            return FULL;
                        }
                        groupLines = 0;
                    }
                }
                while (len - recStart > max) {
                    if (!rules.split()) {
                        enterSkip();
                        return RESTART;
                    }
                    if (!offer(recStart, max, 0)) {
                        return FULL;
                    }
                    c.splitRecords++;
                    recStart += max;
                }
                return NEED;
            }
            if (multi) {
                int ev = lineEval != UNKNOWN ? lineEval : (isStart(lineStart, nl - lineStart) ? START : CONT);
                if (ev == START && groupLines > 0 && lineStart > recStart) {
                    if (!emitTo(lineStart - 1, 1)) {
                        return FULL;
                    }
                    groupLines = 0;
                }
                groupLines++;
                if (groupLines >= rules.maxLines()) {
                    if (!emitTo(nl, 1)) {
                        return FULL;
                    }
                    groupLines = 0;
                }
            } else if (!emitTo(nl, 1)) {
                return FULL;
            }
            lineStart = nl + 1;
            lineEval = UNKNOWN;
            scan = nl + 1;
        }
    }

    /**
     * Emits the record [recStart, end) followed by {@code gapAfter} terminator bytes, splitting or
     * truncating it when it is over-long. Advances recStart past what was accepted.
     */
    private boolean emitTo(int end, int gapAfter) {
        final int max = rules.maxLineBytes();
        int length = end - recStart;
        if (length <= max) {
            if (!offer(recStart, length, gapAfter)) {
                return false;
            }
            recStart = end + gapAfter;
            return true;
        }
        if (rules.split()) {
            while (end - recStart > max) {
                if (!offer(recStart, max, 0)) {
                    return false;
                }
                c.splitRecords++;
                recStart += max;
            }
            if (!offer(recStart, end - recStart, gapAfter)) {
                return false;
            }
            recStart = end + gapAfter;
            return true;
        }
        if (!offer(recStart, max, (long) length - max + gapAfter)) {
            return false;
        }
        countDrop(length - max);
        recStart = end + gapAfter;
        return true;
    }

    private boolean offer(int index, int length, long gap) {
        if (!sink.accept(buf, index, length, gap)) {
            return false;
        }
        c.records++;
        c.consumedBytes += length + gap;
        c.offset = pos + index + length + gap;
        return true;
    }

    private void countDrop(long bytes) {
        if (c.droppedLines == 0 && c.droppedBytes == 0) {
            dropped = true;
        }
        c.droppedLines++;
        c.droppedBytes += bytes;
    }

    // ------------------------------------------------------------------ truncating an over-long record

    private void enterSkip() {
        skipping = true;
        skipHead = pos + recStart;
        c.offset = skipHead;
        if (lineStart <= recStart) {
            // the current line is the record's first line: it cannot end the record
            lineEval = CONT;
        }
        recStart = -1;
    }

    private int scanSkip() throws IOException {
        final boolean multi = rules.multiline();
        while (true) {
            int nl = Lines.indexOfNewline(buf, scan, len);
            if (nl < 0) {
                scan = len;
                if (multi && lineStart >= 0 && lineEval == UNKNOWN && len - lineStart >= rules.evalPrefix()) {
                    lineEval = isStart(lineStart, len - lineStart) ? START : CONT;
                    if (lineEval == START) {
                        return finishSkip(pos + lineStart, 1) ? RESTART : FULL;
                    }
                }
                return NEED;
            }
            if (!multi) {
                return finishSkip(pos + nl + 1, 1) ? RESTART : FULL;
            }
            int ev = lineEval != UNKNOWN ? lineEval : (lineStart >= 0 && isStart(lineStart, nl - lineStart) ? START : CONT);
            if (ev == START) {
                return finishSkip(pos + lineStart, 1) ? RESTART : FULL;
            }
            groupLines++;
            if (groupLines >= rules.maxLines()) {
                return finishSkip(pos + nl + 1, 1) ? RESTART : FULL;
            }
            lineStart = nl + 1;
            lineEval = UNKNOWN;
            scan = nl + 1;
        }
    }

    /**
     * The skipped record ends at file position {@code end} ({@code terminator} of its last bytes
     * are the newline): re-reads its first maxLineBytes bytes and emits them with the rest as gap.
     */
    private boolean finishSkip(long end, int terminator) throws IOException {
        final int max = rules.maxLineBytes();
        c.skipping = true;
        c.skipEnd = end;
        c.skipPos = end - terminator;
        ensureCapacity(max + 1);
        int got = 0;
        view.limit(max).position(0);
        while (got < max) {
            int n = ch.read(view, skipHead + got);
            if (n <= 0) {
                break;
            }
            got += n;
        }
        if (got < max) {
            // the file shrank under us: the caller notices the truncation; nothing is emitted
            throw new java.io.EOFException("file shrank while truncating a record at offset " + skipHead);
        }
        long gap = end - skipHead - max;
        pos = skipHead;
        if (!offer(0, max, gap)) {
            return false;
        }
        countDrop(gap - terminator);
        c.skipping = false;
        c.skipEnd = -1;
        startNormal(end);
        return true;
    }

    // ------------------------------------------------------------------ end of data, buffer

    private Outcome atEof(boolean finalFlush, boolean timeoutFlush) throws IOException {
        if (skipping) {
            boolean atLineEnd = lineStart == len && lineStart >= 0;
            if (finalFlush || (rules.multiline() && timeoutFlush && atLineEnd)) {
                if (!finishSkip(pos + len, atLineEnd ? 1 : 0)) {
                    return Outcome.FULL;
                }
                return Outcome.EOF;
            }
            saveState();
            return Outcome.EOF;
        }
        if (finalFlush && len > recStart) {
            boolean ok = lineStart < len ? emitTo(len, 0) : emitTo(len - 1, 1);
            if (!ok) {
                return Outcome.FULL;
            }
        } else if (rules.multiline() && timeoutFlush && lineStart > recStart) {
            if (!emitTo(lineStart - 1, 1)) {
                return Outcome.FULL;
            }
            groupLines = 0;
        }
        c.offset = pos + recStart;
        return Outcome.EOF;
    }

    private void saveState() {
        if (!skipping) {
            c.offset = pos + recStart;
            return;
        }
        c.skipping = true;
        c.skipEnd = -1;
        c.skipLines = groupLines;
        if (rules.multiline() && lineStart >= 0 && lineEval == UNKNOWN) {
            c.skipPos = pos + lineStart;
            c.skipInLine = false;
        } else {
            c.skipPos = pos + len;
            c.skipInLine = true;
        }
        c.offset = skipHead;
    }

    private void ensureSpace() {
        if (len < buf.length) {
            return;
        }
        int keepFrom;
        if (skipping) {
            if (lineStart >= 0 && lineEval == UNKNOWN) {
                keepFrom = lineStart;
            } else {
                keepFrom = len;
                lineStart = -1;
            }
        } else {
            keepFrom = recStart;
            if (rules.multiline() && lineEval == UNKNOWN && lineStart < keepFrom) {
                keepFrom = lineStart;
            }
        }
        if (keepFrom > 0) {
            System.arraycopy(buf, keepFrom, buf, 0, len - keepFrom);
            pos += keepFrom;
            len -= keepFrom;
            scan -= keepFrom;
            if (!skipping) {
                recStart -= keepFrom;
            }
            if (lineStart >= 0) {
                lineStart -= keepFrom;
            }
            return;
        }
        ensureCapacity(Math.min(Math.max(buf.length * 2, baseCapacity), rules.maxLineBytes() + 1 + rules.evalPrefix()));
        if (len >= buf.length) {
            throw new IllegalStateException("read buffer cannot grow: " + buf.length + " bytes, record limit " + rules.maxLineBytes());
        }
    }

    private void ensureCapacity(int capacity) {
        if (buf.length >= capacity) {
            return;
        }
        byte[] bigger = new byte[capacity];
        System.arraycopy(buf, 0, bigger, 0, len);
        buf = bigger;
        view = ByteBuffer.wrap(buf);
        bigSinceMillis = -1;
    }

    /** Gives a grown buffer back once no read needed it for a few seconds. */
    private void shrink(long nowMillis) {
        if (buf.length <= baseCapacity) {
            return;
        }
        if (bigSinceMillis < 0) {
            bigSinceMillis = nowMillis;
        } else if (nowMillis - bigSinceMillis > 5_000) {
            buf = new byte[baseCapacity];
            view = ByteBuffer.wrap(buf);
            len = 0;
        }
    }
}
