package io.datastream.protocol.golden;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.RecordCursor;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameDecoder;
import io.datastream.protocol.frame.FrameType;
import io.datastream.protocol.testing.SampleFrames;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Version-1 bytes are forever: today's encoder must write exactly the golden frames, and the
 * decoder must read every golden file to the expected values. Compressed batches are only
 * decoded (a newer lz4/zstd library may compress differently, and that is allowed); the
 * codec-none batch must also be byte-identical. This test never writes the files: see
 * {@link GoldenFileWriter}.
 */
class GoldenFilesTest {

    static byte[] golden(String name) throws IOException {
        try (InputStream in = GoldenFilesTest.class.getClassLoader().getResourceAsStream(GoldenFiles.DIR + name)) {
            assertThat(in).as("golden file %s%s exists", GoldenFiles.DIR, name).isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void thereIsAGoldenFrameOfEveryTypeAndABatchOfEveryCodec() throws IOException {
        Set<FrameType> types = EnumSet.noneOf(FrameType.class);
        Map<String, Frame> frames = GoldenFiles.frames();
        for (Map.Entry<String, Frame> e : frames.entrySet()) {
            golden(GoldenFiles.frameFile(e.getKey()));
            types.add(e.getValue().type());
        }
        ((BatchFrame) frames.get("batch")).release();
        assertThat(types).containsExactlyInAnyOrder(FrameType.values());
        for (CodecType c : CodecType.values()) {
            golden(GoldenFiles.batchFile(c));
        }
    }

    @Test
    void todaysEncoderWritesExactlyTheGoldenFrames() throws IOException {
        for (Map.Entry<String, Frame> e : GoldenFiles.frames().entrySet()) {
            byte[] expected = golden(GoldenFiles.frameFile(e.getKey()));
            assertThat(GoldenFiles.encode(e.getValue())).as("frame %s", e.getKey()).isEqualTo(expected);
        }
    }

    @Test
    void goldenFramesDecodeToTheSampleValues() throws Exception {
        for (Map.Entry<String, Frame> e : GoldenFiles.frames().entrySet()) {
            ByteBuf in = Unpooled.wrappedBuffer(golden(GoldenFiles.frameFile(e.getKey())));
            Frame decoded = FrameDecoder.decodeOne(in, ProtocolLimits.DEFAULT.maxFrameLength());
            assertThat(in.isReadable()).as("%s is one whole frame", e.getKey()).isFalse();
            if (e.getValue() instanceof BatchFrame expected) {
                BatchFrame got = (BatchFrame) decoded;
                assertThat(got.batchId()).isEqualTo(expected.batchId());
                assertThat(ByteBufUtil.equals(got.batch(), expected.batch())).isTrue();
                assertThat(ByteBufUtil.getBytes(got.batch())).isEqualTo(golden(GoldenFiles.batchFile(CodecType.NONE)));
                got.release();
                expected.release();
            } else {
                assertThat(decoded).as(e.getKey()).isEqualTo(e.getValue());
            }
        }
    }

    @Test
    void codecNoneBatchIsByteIdentical() throws IOException {
        assertThat(GoldenFiles.batch(CodecType.NONE)).isEqualTo(golden(GoldenFiles.batchFile(CodecType.NONE)));
    }

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void goldenBatchesDecodeToTheSampleLines(CodecType codec) throws Exception {
        UnpooledByteBufAllocator alloc = new UnpooledByteBufAllocator(false);
        Batch b = Batch.parse(Unpooled.wrappedBuffer(golden(GoldenFiles.batchFile(codec))), ProtocolLimits.DEFAULT);
        assertThat(b.codec()).isEqualTo(codec);
        assertThat(b.taskId()).isEqualTo(TestBatches.source().taskId());
        assertThat(b.agentId()).isEqualTo(TestBatches.source().agentId());
        assertThat(b.host()).isEqualTo(TestBatches.source().host());
        assertThat(b.path()).isEqualTo(TestBatches.source().path());
        assertThat(b.fingerprint()).isEqualTo(TestBatches.source().fingerprint());
        assertThat(b.headers()).containsExactlyEntriesOf(TestBatches.source().headers());
        assertThat(b.startOffset()).isEqualTo(SampleFrames.BATCH_START);
        assertThat(b.recordCount()).isEqualTo(SampleFrames.BATCH_LINES.size());
        assertThat(b.firstEventTime()).isEqualTo(1_700_000_000_000L);
        assertThat(b.lastEventTime()).isEqualTo(1_700_000_000_003L);
        List<String> lines = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        try (CodecSet codecs = new CodecSet(); RecordCursor c = b.openRecords(codecs, alloc)) {
            while (c.next()) {
                lines.add(new String(c.contentBytes(), StandardCharsets.UTF_8));
                offsets.add(c.offset());
                assertThat(c.gap()).isEqualTo(1);
            }
        }
        assertThat(lines).containsExactlyElementsOf(SampleFrames.BATCH_LINES);
        long expected = SampleFrames.BATCH_START;
        for (int i = 0; i < lines.size(); i++) {
            assertThat(offsets.get(i)).isEqualTo(expected);
            expected += lines.get(i).getBytes(StandardCharsets.UTF_8).length + 1;
        }
        assertThat(b.endOffset()).isEqualTo(expected);
        assertThat(alloc.metric().usedHeapMemory()).isZero();
    }
}
