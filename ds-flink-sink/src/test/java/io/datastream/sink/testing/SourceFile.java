package io.datastream.sink.testing;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.LineIdentity;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A log file as an agent sees it: lines at byte offsets (each followed by a newline), an event
 * time per line, and the batch source header. {@link #envelope} cuts any range of lines into a
 * real envelope, as an agent would (re-)send it.
 */
public final class SourceFile {
    private final BatchSource source;
    private final List<byte[]> lines;
    private final long[] offsets;
    private final long[] eventTimes;

    public SourceFile(String task, String agent, String host, String path, long fingerprint, List<String> lines,
                      long firstEventTime, long stepMillis) {
        this(task, agent, host, path, fingerprint, Map.of("logType", "test"), lines, firstEventTime, stepMillis);
    }

    /** With the batch headers {@code headers} (e.g. the reserved {@code ds.time} headers). */
    public SourceFile(String task, String agent, String host, String path, long fingerprint, Map<String, String> headers,
                      List<String> lines, long firstEventTime, long stepMillis) {
        this.source = new BatchSource(task, agent, host, path, fingerprint, headers);
        this.lines = new ArrayList<>(lines.size());
        this.offsets = new long[lines.size() + 1];
        this.eventTimes = new long[lines.size()];
        long off = 0;
        for (int i = 0; i < lines.size(); i++) {
            byte[] b = lines.get(i).getBytes(StandardCharsets.UTF_8);
            this.lines.add(b);
            offsets[i] = off;
            off += b.length + 1;
            eventTimes[i] = firstEventTime + i * stepMillis;
        }
        offsets[lines.size()] = off;
    }

    /** {@code count} lines {@code "<prefix> line <i> <filler>"}. */
    public static List<String> numberedLines(String prefix, int count) {
        List<String> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            out.add(prefix + " line " + String.format("%05d", i) + " GET /api/v1/items/" + (i * 7919 % 10007) + " HTTP/1.1 200");
        }
        return out;
    }

    public BatchSource source() {
        return source;
    }

    public int lineCount() {
        return lines.size();
    }

    public String line(int i) {
        return new String(lines.get(i), StandardCharsets.UTF_8);
    }

    public long offset(int i) {
        return offsets[i];
    }

    public long eventTime(int i) {
        return eventTimes[i];
    }

    public LineIdentity identity(int i) {
        return new LineIdentity(source.taskId(), source.agentId(), source.fingerprint(), offsets[i]);
    }

    /** Lines {@code [from, to)} as the bytes of one Kafka record value. */
    public byte[] envelope(int from, int to, CodecType codecType) {
        try (BatchBuilder b = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, 8 << 20, 1 << 20);
             Codec codec = codecType.create()) {
            b.begin(source, offsets[from]);
            for (int i = from; i < to; i++) {
                byte[] line = lines.get(i);
                if (!b.tryAppend(line, 0, line.length, 1, eventTimes[i])) {
                    throw new IllegalStateException("batch full at line " + i);
                }
            }
            ByteBuf out = b.finish(codec);
            try {
                return ByteBufUtil.getBytes(out);
            } finally {
                out.release();
            }
        }
    }
}
