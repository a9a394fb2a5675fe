package io.datastream.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolLimits;
import io.datastream.protocol.batch.BatchLayout;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The Kafka value is the batch, byte for byte; consumers read lines with their identities. */
class EnvelopeTest {
    private static final List<String> LINES = List.of("first line", "", "third line with ünïcode", "fourth");

    @ParameterizedTest
    @EnumSource(CodecType.class)
    void serializerWritesTheBatchUnchangedAndDeserializerReadsItsLines(CodecType codec) throws Exception {
        ByteBuf batch = TestBatches.build(codec.create(), TestBatches.source(), 4096, LINES);
        byte[] expected = TestBatches.bytes(batch);
        int readerIndex = batch.readerIndex();
        byte[] value;
        try (EnvelopeSerializer ser = new EnvelopeSerializer()) {
            value = ser.serialize("topic", batch);
        }
        assertThat(value).isEqualTo(expected);
        assertThat(batch.readerIndex()).as("serializer does not consume").isEqualTo(readerIndex);
        assertThat(batch.refCnt()).as("serializer does not release").isEqualTo(1);
        batch.release();

        Envelope e;
        try (EnvelopeDeserializer de = new EnvelopeDeserializer()) {
            e = de.deserialize("topic", value);
        }
        assertThat(e.isCorrupt()).isFalse();
        assertThat(e.error()).isNull();
        assertThat(e.raw()).isSameAs(value);
        assertThat(e.batch().agentId()).isEqualTo("agent-42");
        try (CodecSet codecs = new CodecSet()) {
            List<Line> lines = e.lines(codecs);
            assertThat(lines).extracting(l -> new String(l.content(), StandardCharsets.UTF_8)).containsExactlyElementsOf(LINES);
            long offset = 4096;
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                assertThat(l.offset()).isEqualTo(offset);
                assertThat(l.identity()).isEqualTo(new LineIdentity(TestBatches.source().taskId(), "agent-42", 0x1F2E3D4C5B6A7988L, offset));
                offset += l.content().length + 1;
                assertThat(l.nextOffset()).isEqualTo(offset);
            }
            assertThat(lines.get(0).identity().toString()).isEqualTo(TestBatches.source().taskId() + "/agent-42/1f2e3d4c5b6a7988@4096");

            List<Long> visited = new ArrayList<>();
            e.forEachLine(codecs, (off, next, buf, index, length) -> visited.add(off));
            assertThat(visited).containsExactlyElementsOf(lines.stream().map(Line::offset).toList());
        }
    }

    @Test
    void aResentBatchHasTheSameIdentities() throws Exception {
        byte[] first = TestBatches.bytes(TestBatches.build(CodecType.LZ4.create(), TestBatches.source(), 100, LINES));
        byte[] again = TestBatches.bytes(TestBatches.build(CodecType.ZSTD.create(), TestBatches.source(), 100, LINES));
        try (CodecSet codecs = new CodecSet()) {
            assertThat(Envelope.parse(again).lines(codecs)).extracting(Line::identity)
                    .containsExactlyElementsOf(Envelope.parse(first).lines(codecs).stream().map(Line::identity).toList());
        }
    }

    @Test
    void corruptRecordComesBackAsACorruptEnvelopeWithItsBytes() {
        byte[] value = TestBatches.bytes(TestBatches.build(CodecType.LZ4.create(), TestBatches.source(), 0, LINES));
        value[value.length - 2] ^= 0x40;
        Envelope e = new EnvelopeDeserializer().deserialize("t", value);
        assertThat(e.isCorrupt()).isTrue();
        assertThat(e.raw()).isSameAs(value);
        assertThat(e.error().code()).isEqualTo(ErrorCode.CRC_MISMATCH);
        assertThatThrownBy(e::batch).isInstanceOf(IllegalStateException.class).hasMessageContaining("CRC");

        Envelope garbage = Envelope.parse("not a batch".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.isCorrupt()).isTrue();
        assertThat(garbage.error().code()).isEqualTo(ErrorCode.CORRUPT_BATCH);

        Envelope none = new EnvelopeDeserializer().deserialize("t", null);
        assertThat(none.isCorrupt()).isTrue();
        assertThat(none.raw()).isEmpty();
        assertThat(new EnvelopeSerializer().serialize("t", null)).isNull();

        Envelope tooBig = new EnvelopeDeserializer(new ProtocolLimits(1 << 20, 10, 10))
                .deserialize("t", TestBatches.bytes(TestBatches.build(CodecType.NONE.create(), TestBatches.source(), 0, LINES)));
        assertThat(tooBig.error().code()).isEqualTo(ErrorCode.BATCH_TOO_LARGE);
    }

    @Test
    void damagedPayloadBehindAValidHeaderFailsWhenLinesAreRead() throws Exception {
        byte[] value = TestBatches.bytes(TestBatches.build(CodecType.ZSTD.create(), TestBatches.source(), 0, LINES));
        int h = ((value[12] & 0xFF) << 8) | (value[13] & 0xFF);
        value[h + 5] ^= (byte) 0xFF;
        value[h + 6] ^= (byte) 0xFF;
        TestBatches.fixCrc(value);
        Envelope e = Envelope.parse(value);
        assertThat(e.isCorrupt()).as("the header is fine").isFalse();
        try (CodecSet codecs = new CodecSet()) {
            assertThatThrownBy(() -> e.lines(codecs)).isInstanceOf(CorruptBatchException.class);
        }
    }

    @Test
    void declaredRecordCountDoesNotSizeAnything() throws Exception {
        // a codec-none batch of one 8 MiB record whose header claims 4 Mi records (plausible for
        // its size): lines() must find the lie before it sizes anything by the claimed count
        byte[] value = TestBatches.bytes(TestBatches.build(CodecType.NONE.create(), TestBatches.source(), 0, List.of()));
        int payload = 8 << 20;
        int len = payload - 5;
        byte[] big = java.util.Arrays.copyOf(value, value.length + payload);
        ByteBuf b = Unpooled.wrappedBuffer(big);
        int p = value.length;
        big[p] = (byte) ((len & 0x7F) | 0x80);
        big[p + 1] = (byte) (((len >>> 7) & 0x7F) | 0x80);
        big[p + 2] = (byte) (((len >>> 14) & 0x7F) | 0x80);
        big[p + 3] = (byte) (len >>> 21);
        big[p + 4] = 0; // gap
        b.setInt(BatchLayout.RECORD_COUNT_OFFSET, payload / 2);
        b.setInt(BatchLayout.UNCOMPRESSED_LENGTH_OFFSET, payload);
        b.setInt(BatchLayout.PAYLOAD_LENGTH_OFFSET, payload);
        b.setLong(BatchLayout.END_OFFSET_OFFSET, len);
        TestBatches.fixCrc(big);
        Envelope e = Envelope.parse(big);
        assertThat(e.isCorrupt()).isFalse();
        try (CodecSet codecs = new CodecSet()) {
            assertThatThrownBy(() -> e.lines(codecs)).isInstanceOf(CorruptBatchException.class).hasMessageContaining("header says");
        }
    }
}
