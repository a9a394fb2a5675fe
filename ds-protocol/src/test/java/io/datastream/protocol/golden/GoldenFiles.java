package io.datastream.protocol.golden;

import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameEncoder;
import io.datastream.protocol.testing.SampleFrames;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the version-1 golden files under {@code src/test/resources/golden/v1/} hold, computed
 * with today's code: one file per sample frame ({@code frame-NAME.bin}, written by
 * {@link FrameEncoder}) and one batch per codec ({@code batch-CODEC.bin}, written by
 * {@code BatchBuilder}, zstd at level 3). {@link GoldenFileWriter} writes them;
 * {@link GoldenFilesTest} only compares.
 */
final class GoldenFiles {
    static final String DIR = "golden/v1/";
    static final int ZSTD_LEVEL = 3;

    private GoldenFiles() {
    }

    static String frameFile(String name) {
        return "frame-" + name + ".bin";
    }

    static String batchFile(CodecType codec) {
        return "batch-" + codec.name().toLowerCase(Locale.ROOT) + ".bin";
    }

    /** Every sample frame by golden name, BATCH included; the caller releases the BATCH frame. */
    static Map<String, Frame> frames() {
        Map<String, Frame> m = new LinkedHashMap<>(SampleFrames.controlFrames());
        m.put("batch", SampleFrames.batchFrame());
        return m;
    }

    /** The frame as {@link FrameEncoder} writes it today; releases a BATCH frame. */
    static byte[] encode(Frame frame) {
        EmbeddedChannel ch = new EmbeddedChannel(FrameEncoder.INSTANCE);
        ch.writeOutbound(frame);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        ch.finishAndReleaseAll();
        return out.toByteArray();
    }

    /** A batch of the sample lines as today's builder writes it with {@code codec}. */
    static byte[] batch(CodecType codec) {
        ByteBuf b = TestBatches.build(codec.create(ZSTD_LEVEL), TestBatches.source(), SampleFrames.BATCH_START,
                SampleFrames.BATCH_LINES);
        try {
            return TestBatches.bytes(b);
        } finally {
            b.release();
        }
    }

    /** Every golden file name with today's bytes. */
    static Map<String, byte[]> all() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, Frame> e : frames().entrySet()) {
            files.put(frameFile(e.getKey()), encode(e.getValue()));
        }
        for (CodecType c : CodecType.values()) {
            files.put(batchFile(c), batch(c));
        }
        return files;
    }

    static boolean isBatchFrame(Frame f) {
        return f instanceof BatchFrame;
    }
}
