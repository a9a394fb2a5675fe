package io.datastream.protocol.testing;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchLayout;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/** Builds batches for tests and edits their bytes the way a hostile or broken peer would. */
public final class TestBatches {
    private TestBatches() {
    }

    /** A source with two headers, in a fixed order. */
    public static BatchSource source() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("logType", "nginx");
        headers.put("env", "prod");
        return new BatchSource("task-7", "agent-42", "web-01.example.com", "/var/log/nginx/access.log",
                0x1F2E3D4C5B6A7988L, headers);
    }

    /** A batch of {@code lines}, each followed by a one-byte newline in the source, as a heap buffer. */
    public static ByteBuf build(Codec codec, BatchSource source, long startOffset, List<String> lines) {
        try (BatchBuilder b = new BatchBuilder(ByteBufAllocator.DEFAULT, 1 << 22, 1 << 20)) {
            b.begin(source, startOffset);
            long t = 1_700_000_000_000L;
            for (String line : lines) {
                byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
                if (!b.tryAppend(bytes, 0, bytes.length, 1, t++)) {
                    throw new IllegalStateException("test batch is full");
                }
            }
            ByteBuf direct = b.finish(codec);
            try {
                return Unpooled.wrappedBuffer(ByteBufUtil.getBytes(direct));
            } finally {
                direct.release();
            }
        }
    }

    public static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf, buf.readerIndex(), buf.readableBytes(), true);
    }

    /** Recomputes the CRC32C of the batch at {@code buf}'s reader index, as a peer that lies would. */
    public static void fixCrc(ByteBuf buf) {
        int base = buf.readerIndex();
        int len = buf.readableBytes();
        if (len < BatchLayout.CRC_START) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(ByteBufUtil.getBytes(buf, base + BatchLayout.CRC_START, len - BatchLayout.CRC_START, false),
                0, len - BatchLayout.CRC_START);
        buf.setInt(base + BatchLayout.CRC_OFFSET, (int) crc.getValue());
    }

    /** Same as {@link #fixCrc(ByteBuf)} for an array holding exactly one batch. */
    public static void fixCrc(byte[] batch) {
        if (batch.length < BatchLayout.CRC_START) {
            return;
        }
        CRC32C crc = new CRC32C();
        crc.update(batch, BatchLayout.CRC_START, batch.length - BatchLayout.CRC_START);
        int v = (int) crc.getValue();
        batch[BatchLayout.CRC_OFFSET] = (byte) (v >>> 24);
        batch[BatchLayout.CRC_OFFSET + 1] = (byte) (v >>> 16);
        batch[BatchLayout.CRC_OFFSET + 2] = (byte) (v >>> 8);
        batch[BatchLayout.CRC_OFFSET + 3] = (byte) v;
    }
}
