package io.datastream.router.sim;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.LineIdentity;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * One simulated log file: realistic lines (ds-testkit's LogGenerator) packed into batches with
 * consecutive offsets, as an agent tailing the file would send them. Not thread-safe.
 */
public final class SourceStream implements AutoCloseable {
    /** A built batch and the identities of its lines; the caller owns {@code bytes}. */
    public record Built(ByteBuf bytes, List<LineIdentity> lines, long uncompressedBytes) {
    }

    private final BatchSource source;
    private final BatchBuilder builder;
    private final Codec codec;
    private final LogGenerator gen;
    private long offset;
    private byte[] carry;

    public SourceStream(BatchSource source, CodecType codec, LogKind kind, long seed, int maxBatchUncompressed) {
        this.source = source;
        this.builder = new BatchBuilder(ByteBufAllocator.DEFAULT, maxBatchUncompressed, 1 << 20);
        this.codec = codec.create();
        this.gen = LogGenerator.of(kind, seed);
    }

    public static SourceStream of(String task, String agent, String path, long fingerprint, Map<String, String> headers) {
        return new SourceStream(new BatchSource(task, agent, "host-" + agent, path, fingerprint, headers), CodecType.LZ4,
                LogKind.JAVA_APP, fingerprint, 128 << 10);
    }

    /** The next batch: at most {@code maxLines} lines, as many as fit. */
    public Built next(int maxLines) {
        builder.begin(source, offset);
        List<LineIdentity> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        while (ids.size() < maxLines) {
            byte[] line = carry != null ? carry : gen.nextLine();
            carry = null;
            if (!builder.tryAppend(line, 0, line.length, 1, now)) {
                carry = line;
                break;
            }
            ids.add(new LineIdentity(source.taskId(), source.agentId(), source.fingerprint(), offset));
            offset += line.length + 1;
        }
        long uncompressed = builder.uncompressedBytes();
        return new Built(builder.finish(codec), Collections.unmodifiableList(ids), uncompressed);
    }

    /** A full batch (up to the builder's uncompressed size). */
    public Built nextFull() {
        return next(Integer.MAX_VALUE);
    }

    public BatchSource source() {
        return source;
    }

    @Override
    public void close() {
        builder.close();
        codec.close();
    }
}
