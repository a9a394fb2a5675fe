package io.datastream.sink.output;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.datastream.protocol.batch.Batch;
import io.datastream.sink.config.LineFormat;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Formats the kept lines of one batch into one reused buffer, then copies them out as an
 * {@link OutputChunk}. The line's own bytes are copied unchanged in every format; the metadata
 * of the batch (task, agent, host, path) is encoded once per batch. Single-threaded.
 */
public final class ChunkBuilder {
    private static final int INITIAL = 64 << 10;
    /** A buffer grown past this by a huge batch is dropped after use rather than kept. */
    private static final int KEEP_LIMIT = 8 << 20;

    private final LineFormat format;
    private byte[] buf = new byte[INITIAL];
    private int size;
    private int lines;
    private byte[] prefix = new byte[0];
    private byte[] suffix = new byte[0];

    public ChunkBuilder(LineFormat format) {
        this.format = format;
    }

    /** Starts the chunk of {@code batch}. */
    public void begin(Batch batch) {
        if (buf.length > KEEP_LIMIT) {
            buf = new byte[INITIAL];
        }
        size = 0;
        lines = 0;
        switch (format) {
            case TSV:
                prefix = (tsv(batch.host()) + '\t' + tsv(batch.path()) + '\t').getBytes(StandardCharsets.UTF_8);
                suffix = new byte[]{'\t'};
                break;
            case JSON:
                prefix = ("{\"task\":" + json(batch.taskId()) + ",\"agent\":" + json(batch.agentId()) + ",\"host\":" + json(batch.host())
                        + ",\"path\":" + json(batch.path()) + ",\"offset\":").getBytes(StandardCharsets.UTF_8);
                suffix = new byte[]{'}', '\t'};
                break;
            case RAW:
            default:
                prefix = new byte[0];
                suffix = new byte[0];
                break;
        }
    }

    /** Drops what was appended since {@link #begin}, keeping the batch's metadata: for chunks of one line each. */
    public void clear() {
        size = 0;
        lines = 0;
    }

    /** Appends one line: the metadata of the format, {@code length} bytes of {@code src} at {@code index}, {@code \n}. */
    public void append(long offset, ByteBuf src, int index, int length) {
        if (format == LineFormat.RAW) {
            ensure(length + 1);
        } else {
            ensure(prefix.length + 20 + suffix.length + length + 1);
            System.arraycopy(prefix, 0, buf, size, prefix.length);
            size += prefix.length;
            size = writeDecimal(offset, buf, size);
            System.arraycopy(suffix, 0, buf, size, suffix.length);
            size += suffix.length;
        }
        src.getBytes(index, buf, size, length);
        size += length;
        buf[size++] = '\n';
        lines++;
    }

    public int lines() {
        return lines;
    }

    /** Bytes formatted so far. */
    public int size() {
        return size;
    }

    /** The chunk of everything appended since {@link #begin}. */
    public OutputChunk build(String taskId, long eventTime) {
        return new OutputChunk(taskId, eventTime, Arrays.copyOf(buf, size), lines);
    }

    private void ensure(int more) {
        long need = (long) size + more;
        if (need > buf.length) {
            if (need > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("chunk of " + need + " bytes is too large");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, (long) buf.length * 2)));
        }
    }

    static int writeDecimal(long v, byte[] out, int pos) {
        if (v < 0) {
            out[pos++] = '-';
            v = -v;
        }
        if (v < 10) {
            out[pos] = (byte) ('0' + v);
            return pos + 1;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        int end = pos + digits;
        for (int i = end - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return end;
    }

    private static String json(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    private static String tsv(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                default:
                    sb.append(c);
            }
        }
        return sb.toString();
    }
}
