package io.datastream.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.datastream.protocol.CorruptFrameException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.testing.SampleFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** FrameEncoder + FrameDecoder in a channel: whole, split at every byte, and after bad input. */
class FrameDecoderTest {
    private static final int MAX = 1 << 20;

    /** Encodes through a channel with FrameEncoder; returns the bytes written and releases them. */
    static byte[] write(Frame... frames) {
        EmbeddedChannel ch = new EmbeddedChannel(FrameEncoder.INSTANCE);
        for (Frame f : frames) {
            assertThat(ch.writeOutbound(f)).isTrue();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            out.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        assertThat(ch.finish()).isFalse();
        return out.toByteArray();
    }

    private static List<Object> readAll(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static List<Frame> allSamples(BatchFrame batch) {
        List<Frame> all = new ArrayList<>(SampleFrames.controlFrames().values());
        all.add(3, batch);
        return all;
    }

    private static void assertSameFrames(List<Object> got, List<Frame> expected) {
        assertThat(got).hasSameSizeAs(expected);
        for (int i = 0; i < got.size(); i++) {
            Frame e = expected.get(i);
            if (e instanceof BatchFrame eb) {
                BatchFrame gb = (BatchFrame) got.get(i);
                assertThat(gb.batchId()).isEqualTo(eb.batchId());
                assertThat(ByteBufUtil.equals(gb.batch(), eb.batch())).isTrue();
                assertThat(gb.creditCost()).isEqualTo(eb.creditCost());
                assertThat(gb.toString()).contains("id=7");
            } else {
                assertThat(got.get(i)).isEqualTo(e);
            }
        }
    }

    @Test
    void everyFrameTypeRoundTripsThroughTheChannel() {
        BatchFrame batch = SampleFrames.batchFrame();
        byte[] wire = write(batch.retain());
        assertThat(batch.refCnt()).as("the encoder released the frame it wrote").isEqualTo(1);
        byte[] all = write(allSamples(batch.retain()).toArray(new Frame[0]));
        assertThat(batch.refCnt()).isEqualTo(1);
        assertThat(wire.length).isEqualTo(6 + batch.creditCost());

        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        ByteBuf in = Unpooled.wrappedBuffer(all);
        ch.writeInbound(in);
        List<Object> got = readAll(ch);
        assertSameFrames(got, allSamples(batch));
        assertThat(in.refCnt()).as("the BATCH frame holds the input").isEqualTo(1);
        for (Object o : got) {
            io.netty.util.ReferenceCountUtil.release(o);
        }
        assertThat(in.refCnt()).as("released with the BATCH frame").isZero();
        assertThat(ch.finish()).isFalse();
        batch.release();
    }

    @Test
    void byteByByteDeliveryGivesTheSameFrames() {
        BatchFrame batch = SampleFrames.batchFrame();
        byte[] all = write(allSamples(batch.retain()).toArray(new Frame[0]));
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        List<Object> got = new ArrayList<>();
        List<ByteBuf> inputs = new ArrayList<>();
        for (byte b : all) {
            ByteBuf one = Unpooled.buffer(1).writeByte(b);
            inputs.add(one);
            ch.writeInbound(one);
            got.addAll(readAll(ch));
        }
        assertSameFrames(got, allSamples(batch));
        got.forEach(io.netty.util.ReferenceCountUtil::release);
        assertThat(ch.finish()).isFalse();
        assertThat(inputs).allMatch(b -> b.refCnt() == 0);
        batch.release();
    }

    @Test
    void oversizedLengthFailsAsSoonAsTheLengthIsIn() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024));
        ByteBuf len = Unpooled.buffer().writeInt(1025);
        Throwable t = catchThrowable(() -> ch.writeInbound(len));
        assertThat(t).isInstanceOf(DecoderException.class).hasCauseInstanceOf(CorruptFrameException.class);
        assertThat(((CorruptFrameException) t.getCause()).code()).isEqualTo(ErrorCode.FRAME_TOO_LARGE);
        assertThat(len.refCnt()).as("nothing buffered").isZero();
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownTypeAndTruncatedBodyAreTypedErrors() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        Throwable t = catchThrowable(() -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 3, 0x42, 0, 1})));
        assertThat(((CorruptFrameException) t.getCause()).code()).isEqualTo(ErrorCode.UNKNOWN_FRAME_TYPE);
        ch.finishAndReleaseAll();

        EmbeddedChannel ch2 = new EmbeddedChannel(new FrameDecoder(MAX));
        Throwable t2 = catchThrowable(() -> ch2.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 5, 3, 0, 1, 2, 3})));
        assertThat(((CorruptFrameException) t2.getCause()).code()).isEqualTo(ErrorCode.MALFORMED_FRAME);
        ch2.finishAndReleaseAll();
    }

    @Test
    void framesBeforeTheErrorArriveAndEverythingAfterItIsDiscarded() {
        byte[] good = write(SampleFrames.heartbeat());
        BatchFrame batch = SampleFrames.batchFrame();
        byte[] goodBatch = write(batch);
        byte[] bad = {0, 0, 0, 2, 0x42, 0};
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(good);
        stream.writeBytes(bad);
        stream.writeBytes(good);
        stream.writeBytes(goodBatch);

        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        ByteBuf in = Unpooled.wrappedBuffer(stream.toByteArray());
        assertThat(catchThrowable(() -> ch.writeInbound(in))).isInstanceOf(DecoderException.class);
        assertThat(readAll(ch)).containsExactly(SampleFrames.heartbeat());
        assertThat(in.refCnt()).as("discarded input is released").isZero();

        ByteBuf later = Unpooled.wrappedBuffer(goodBatch);
        ch.writeInbound(later);
        ch.writeInbound(Unpooled.wrappedBuffer(good));
        assertThat(readAll(ch)).as("nothing is decoded after an error").isEmpty();
        assertThat(later.refCnt()).isZero();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void partialFrameAtCloseIsDroppedAndReleased() {
        byte[] good = write(SampleFrames.welcome());
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(MAX));
        ByteBuf in = Unpooled.wrappedBuffer(good, 0, good.length - 1);
        ch.writeInbound(in);
        assertThat(readAll(ch)).isEmpty();
        assertThat(ch.finish()).isFalse();
        assertThat(in.refCnt()).isZero();
    }

    @Test
    void encoderReleasesWhatItCouldNotWrite() {
        EmbeddedChannel ch = new EmbeddedChannel(FrameEncoder.INSTANCE);
        Hello tooLong = new Hello(1, 1, 7, "a".repeat(300), "h", "", "v", Map.of());
        assertThat(catchThrowable(() -> ch.writeOutbound(tooLong))).isInstanceOf(EncoderException.class)
                .hasRootCauseInstanceOf(IllegalArgumentException.class);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void constructorChecksItsLimit() {
        assertThat(catchThrowable(() -> new FrameDecoder(10))).isInstanceOf(IllegalArgumentException.class);
    }
}
