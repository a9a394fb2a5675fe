package io.datastream.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.datastream.protocol.CorruptFrameException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolVersion;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.testing.SampleFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Body layouts: every field survives, limits hold, and the wire ids never move. */
class FrameCodecTest {
    static byte[] encode(Frame f) {
        ByteBuf out = Unpooled.buffer();
        FrameCodec.encodeControl(f, out);
        return ByteBufUtil.getBytes(out);
    }

    static Frame decode(byte[] wire) throws CorruptFrameException {
        return FrameDecoder.decodeOne(Unpooled.wrappedBuffer(wire), 1 << 20);
    }

    @Test
    void wireIdsNeverChange() {
        Map<FrameType, Integer> types = new EnumMap<>(FrameType.class);
        for (FrameType t : FrameType.values()) {
            types.put(t, t.id());
            assertThat(FrameType.fromId(t.id())).isSameAs(t);
        }
        assertThat(types).containsExactly(Map.entry(FrameType.HELLO, 1), Map.entry(FrameType.WELCOME, 2),
                Map.entry(FrameType.CREDIT, 3), Map.entry(FrameType.BATCH, 4), Map.entry(FrameType.ACK, 5),
                Map.entry(FrameType.HEARTBEAT, 6), Map.entry(FrameType.GOAWAY, 7), Map.entry(FrameType.ERROR, 8));
        assertThat(FrameType.fromId(0)).isNull();
        assertThat(FrameType.fromId(9)).isNull();
        assertThat(FrameType.fromId(255)).isNull();
        assertThat(Arrays.stream(FrameType.values()).filter(t -> !t.isControl())).containsExactly(FrameType.BATCH);

        String[] codes = {"NONE", "UNKNOWN", "MALFORMED_FRAME", "FRAME_TOO_LARGE", "UNKNOWN_FRAME_TYPE", "UNSUPPORTED_VERSION",
            "AUTH_FAILED", "PROTOCOL_VIOLATION", "CRC_MISMATCH", "CORRUPT_BATCH", "UNSUPPORTED_CODEC", "BATCH_TOO_LARGE",
            "NO_CREDIT", "NO_ROUTE", "DOWNSTREAM_UNAVAILABLE", "OVERLOADED", "SHUTTING_DOWN", "TOO_MANY_CONNECTIONS",
            "IDLE_TIMEOUT", "RECORD_TOO_LARGE", "TOPIC_NOT_ALLOWED", "INTERNAL", "NOT_AUTHORIZED"};
        for (int id = 0; id < codes.length; id++) {
            assertThat(ErrorCode.fromId(id).name()).isEqualTo(codes[id]);
            assertThat(ErrorCode.fromId(id).id()).isEqualTo(id);
        }
        assertThat(ErrorCode.values()).hasSize(codes.length);
        assertThat(ErrorCode.fromId(codes.length)).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.fromId(0xFFFF)).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(ErrorCode.fromId(-1)).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(Arrays.stream(ErrorCode.values()).filter(ErrorCode::retriable)).containsExactly(ErrorCode.UNKNOWN,
                ErrorCode.CRC_MISMATCH, ErrorCode.DOWNSTREAM_UNAVAILABLE, ErrorCode.OVERLOADED, ErrorCode.SHUTTING_DOWN,
                ErrorCode.TOO_MANY_CONNECTIONS, ErrorCode.IDLE_TIMEOUT, ErrorCode.INTERNAL);

        assertThat(AckStatus.OK.id()).isZero();
        assertThat(AckStatus.RETRY_LATER.id()).isEqualTo(1);
        assertThat(AckStatus.REJECTED.id()).isEqualTo(2);
        assertThat(AckStatus.fromId(3)).isNull();
        assertThat(GoAwayReason.DRAIN.id()).isEqualTo(1);
        assertThat(GoAwayReason.MIGRATE.id()).isEqualTo(2);
        assertThat(GoAwayReason.fromId(0)).isNull();
        assertThat(CodecType.NONE.id()).isZero();
        assertThat(CodecType.LZ4.id()).isEqualTo(1);
        assertThat(CodecType.ZSTD.id()).isEqualTo(2);
        assertThat(CodecType.supportedMask()).isEqualTo(0b111);
        assertThat(CodecType.fromId(3)).isNull();
        assertThat(CodecType.parse(" Zstd ")).isEqualTo(CodecType.ZSTD);
        assertThatThrownBy(() -> CodecType.parse("gzip")).hasMessageContaining("gzip");
    }

    @Test
    void everyControlFrameRoundTrips() throws Exception {
        for (Map.Entry<String, Frame> e : SampleFrames.controlFrames().entrySet()) {
            byte[] wire = encode(e.getValue());
            assertThat(wire[4] & 0xFF).isEqualTo(e.getValue().type().id());
            assertThat(wire[5]).as("flags are 0 in v1").isZero();
            assertThat(Unpooled.wrappedBuffer(wire).getInt(0)).isEqualTo(wire.length - 4);
            assertThat(decode(wire)).as(e.getKey()).isEqualTo(e.getValue());
        }
    }

    @Test
    void batchFrameHeaderCountsTheBatchBytes() {
        BatchFrame f = SampleFrames.batchFrame();
        try {
            ByteBuf header = Unpooled.buffer();
            FrameCodec.encodeBatchHeader(f, header);
            assertThat(header.readableBytes()).isEqualTo(FrameCodec.HEADER_LENGTH + BatchFrame.BODY_OVERHEAD);
            assertThat(f.creditCost()).isEqualTo(8 + f.batch().readableBytes());
            assertThat(header.getInt(0)).isEqualTo(2 + f.creditCost());
            assertThat(header.getLong(6)).isEqualTo(7);
            assertThatThrownBy(() -> FrameCodec.encodeControl(f, Unpooled.buffer())).isInstanceOf(IllegalArgumentException.class);
        } finally {
            f.release();
        }
        assertThat(f.refCnt()).isZero();
    }

    @Test
    void trailingBodyBytesOfKnownFramesAreIgnored() throws Exception {
        for (Frame f : SampleFrames.controlFrames().values()) {
            byte[] wire = encode(f);
            byte[] longer = Arrays.copyOf(wire, wire.length + 5);
            Unpooled.wrappedBuffer(longer).setInt(0, longer.length - 4);
            assertThat(decode(longer)).as("%s with a field appended by a later version", f.type()).isEqualTo(f);
        }
    }

    @Test
    void everyTruncatedBodyIsMalformed() {
        for (Frame f : SampleFrames.controlFrames().values()) {
            byte[] wire = encode(f);
            for (int bodyLength = 0; bodyLength < wire.length - 6; bodyLength++) {
                byte[] cut = Arrays.copyOf(wire, 6 + bodyLength);
                Unpooled.wrappedBuffer(cut).setInt(0, 2 + bodyLength);
                CorruptFrameException e = catchThrowableOfType(CorruptFrameException.class, () -> decode(cut));
                assertThat(e).as("%s cut to %d body bytes", f.type(), bodyLength).isNotNull();
                assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
                assertThat(e).hasMessageContaining(f.type().name());
            }
        }
        byte[] batch = {0, 0, 0, 9, 4, 0, 1, 2, 3, 4, 5, 6, 7};
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(batch)).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
    }

    @Test
    void lengthsAndTypesAreCheckedFirst() throws Exception {
        assertThat(decode(new byte[] {0, 0, 0})).as("incomplete length").isNull();
        assertThat(decode(new byte[] {0, 0, 0, 10, 3, 0})).as("incomplete body").isNull();
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(new byte[] {0, 0, 0, 1})).code())
                .isEqualTo(ErrorCode.MALFORMED_FRAME);
        assertThat(catchThrowableOfType(CorruptFrameException.class,
                () -> decode(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})).code())
                .isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(catchThrowableOfType(CorruptFrameException.class,
                () -> FrameDecoder.decodeOne(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 65}), 64)).code())
                .isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(FrameDecoder.decodeOne(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 64}), 64)).as("exactly the limit: wait").isNull();
        for (int type : new int[] {0, 9, 0x7F, 0xFF}) {
            CorruptFrameException e = catchThrowableOfType(CorruptFrameException.class,
                    () -> decode(new byte[] {0, 0, 0, 2, (byte) type, 0}));
            assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
        }
        // flags are ignored in v1
        byte[] hb = encode(SampleFrames.heartbeat());
        hb[5] = (byte) 0xFF;
        assertThat(decode(hb)).isEqualTo(SampleFrames.heartbeat());
    }

    @Test
    void unknownEnumIdsFollowTheCompatibilityRules() throws Exception {
        byte[] ack = encode(SampleFrames.ackRejected());
        ack[6 + 8] = 9; // status
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(ack)).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        ack[6 + 8] = 2;
        ack[6 + 9] = 0x12; // error code 0x12xx: unknown
        assertThat(((Ack) decode(ack)).error()).isEqualTo(ErrorCode.UNKNOWN);

        byte[] goAway = encode(SampleFrames.goAwayMigrate());
        goAway[6] = 99;
        GoAway g = (GoAway) decode(goAway);
        assertThat(g.reason()).as("unknown reason means DRAIN").isEqualTo(GoAwayReason.DRAIN);
        assertThat(g.suggestedRouters()).isEqualTo(SampleFrames.goAwayMigrate().suggestedRouters());

        byte[] error = encode(SampleFrames.error());
        error[6] = 0x7F;
        assertThat(((ErrorFrame) decode(error)).code()).isEqualTo(ErrorCode.UNKNOWN);
    }

    @Test
    void hostileValuesAreMalformed() {
        byte[] welcome = encode(SampleFrames.welcome());
        byte[] w1 = welcome.clone();
        w1[6 + 4] = (byte) 0x80; // heartbeat interval negative as i32
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(w1))).hasMessageContaining("heartbeat");
        byte[] w2 = welcome.clone();
        Arrays.fill(w2, 6 + 8, 6 + 12, (byte) 0); // max batch bytes 0
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(w2))).hasMessageContaining("max batch bytes");
        byte[] w3 = welcome.clone();
        w3[6 + 12] = (byte) 0x80; // credit limit >= 2^63
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(w3))).hasMessageContaining("credit limit");
        byte[] credit = encode(new Credit(Long.MAX_VALUE));
        credit[6] = (byte) 0xFF;
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(credit)).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);

        byte[] hello = encode(SampleFrames.hello());
        byte[] badMagic = hello.clone();
        badMagic[6] = 'G';
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(badMagic))).hasMessageContaining("magic");

        // a string length over its limit, and a map over its count, are refused before reading them
        byte[] longId = hello.clone();
        longId[6 + 12] = 0x01; // agent id length 0x01xx > 255
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(longId))).hasMessageContaining("agent id");
        byte[] goAway = encode(SampleFrames.goAwayDrain());
        goAway[6 + 1] = 0x01; // 256+ suggested routers
        assertThat(catchThrowableOfType(CorruptFrameException.class, () -> decode(goAway))).hasMessageContaining("routers");
    }

    @Test
    void encoderRefusesWhatTheWireCannotCarryAndLeavesTheBufferUnchanged() {
        ByteBuf out = Unpooled.buffer().writeByte(1);
        List<Frame> bad = List.of(
                new Hello(1, 1, 7, "a".repeat(256), "h", "", "v", Map.of()),
                new Hello(1, 70_000, 7, "a", "h", "", "v", Map.of()),
                new Hello(1, 1, 7, "a", "h", "t".repeat(1025), "v", Map.of()),
                new Welcome(1, 7, 0, 100, 0, "r", Map.of()),
                new Welcome(1, 7, 10, 100, -1, "r", Map.of()),
                new Credit(-1),
                new GoAway(GoAwayReason.MIGRATE, List.of("r".repeat(300)), ""));
        for (Frame f : bad) {
            assertThatThrownBy(() -> FrameCodec.encodeControl(f, out)).as(f.toString()).isInstanceOf(IllegalArgumentException.class);
            assertThat(out.writerIndex()).isEqualTo(1);
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 0; i < 65; i++) {
            props.put("k" + i, "v");
        }
        assertThatThrownBy(() -> FrameCodec.encodeControl(new Hello(1, 1, 7, "a", "h", "", "v", props), out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.writerIndex()).isEqualTo(1);
    }

    @Test
    void longMessagesAreCutAtACharacterBoundary() throws Exception {
        String msg = "é".repeat(600); // 1200 bytes of 2-byte characters
        Ack a = (Ack) decode(encode(new Ack(1, AckStatus.REJECTED, ErrorCode.CORRUPT_BATCH, msg)));
        assertThat(a.message()).isEqualTo("é".repeat(512));
        String mixed = "x" + "€".repeat(400); // 1 + 1200 bytes: the cut falls inside a 3-byte character
        ErrorFrame e = (ErrorFrame) decode(encode(new ErrorFrame(ErrorCode.INTERNAL, mixed)));
        assertThat(e.message()).isEqualTo("x" + "€".repeat(341));
        assertThat(e.message().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(1024);
        GoAway many = new GoAway(GoAwayReason.MIGRATE, java.util.Collections.nCopies(100, "r:1"), "");
        assertThat(((GoAway) decode(encode(many))).suggestedRouters()).hasSize(64);
        Hello h = (Hello) decode(encode(new Hello(1, 1, 7, "a", "h", "", "v".repeat(300), Map.of())));
        assertThat(h.softwareVersion()).hasSize(255);
    }

    @Test
    void propertiesKeepTheirOrderSoEqualFramesEncodeEqually() {
        Map<String, String> props = new LinkedHashMap<>();
        for (int i = 20; i > 0; i--) {
            props.put("key-" + i, "value-" + i);
        }
        Hello h = new Hello(1, 1, 7, "a", "h", "", "v", props);
        assertThat(h.properties().keySet()).containsExactlyElementsOf(props.keySet());
        assertThat(encode(h)).isEqualTo(encode(new Hello(1, 1, 7, "a", "h", "", "v", new LinkedHashMap<>(props))));
        assertThat(h.toString()).doesNotContain("s3cr3t");
        assertThat(SampleFrames.hello().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void versionNegotiationPicksTheHighestCommonVersion() {
        assertThat(ProtocolVersion.negotiate(1, 1, 1, 1)).isEqualTo(1);
        assertThat(ProtocolVersion.negotiate(1, 3, 2, 5)).isEqualTo(3);
        assertThat(ProtocolVersion.negotiate(2, 4, 1, 2)).isEqualTo(2);
        assertThat(ProtocolVersion.negotiate(3, 4, 1, 2)).isEqualTo(-1);
        assertThat(ProtocolVersion.negotiate(1, 1, 2, 3)).isEqualTo(-1);
        assertThat(ProtocolVersion.negotiate(5, 1, 1, 9)).as("an inverted range has nothing in common").isEqualTo(-1);
        assertThat(ProtocolVersion.negotiate(0, 0xFFFF, ProtocolVersion.MIN_SUPPORTED, ProtocolVersion.MAX_SUPPORTED))
                .isEqualTo(ProtocolVersion.MAX_SUPPORTED);
    }
}
