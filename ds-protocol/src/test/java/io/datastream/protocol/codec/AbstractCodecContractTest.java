package io.datastream.protocol.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.datastream.protocol.CorruptBatchException;
import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.ProtocolLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The contract every {@link Codec} keeps, run once per codec by a subclass: whatever the input
 * and whatever kind of buffers hold it, decompress(compress(x)) == x; and bytes the codec did
 * not produce fail with {@link CorruptBatchException}, never another exception.
 */
abstract class AbstractCodecContractTest {

    /** How a buffer is held in memory; codecs take different paths for each. */
    enum Kind {
        HEAP, DIRECT, COMPOSITE;

        ByteBuf copyOf(byte[] data) {
            return switch (this) {
                case HEAP -> {
                    // a non-zero array offset and reader index catch index arithmetic mistakes
                    ByteBuf b = Unpooled.buffer(data.length + 16);
                    b.writerIndex(7).readerIndex(7);
                    yield b.writeBytes(data).slice();
                }
                case DIRECT -> {
                    ByteBuf b = Unpooled.directBuffer(data.length + 16);
                    b.writerIndex(5).readerIndex(5);
                    yield b.writeBytes(data).slice();
                }
                case COMPOSITE -> {
                    CompositeByteBuf c = Unpooled.compositeBuffer();
                    int half = data.length / 2;
                    c.addComponent(true, Unpooled.directBuffer(Math.max(1, half)).writeBytes(data, 0, half));
                    c.addComponent(true, Unpooled.buffer(Math.max(1, data.length - half)).writeBytes(data, half, data.length - half));
                    yield c;
                }
            };
        }

        ByteBuf empty(int capacity) {
            return switch (this) {
                case HEAP -> Unpooled.buffer(capacity);
                case DIRECT -> Unpooled.directBuffer(capacity);
                case COMPOSITE -> Unpooled.compositeBuffer().addComponent(true, Unpooled.directBuffer(capacity)).clear();
            };
        }
    }

    private final List<ByteBuf> toRelease = new ArrayList<>();
    private Codec codec;

    protected abstract Codec newCodec();

    protected abstract CodecType expectedType();

    /** False for codec none, which stores bytes as they are and so cannot tell changed ones. */
    protected boolean detectsDamagedContent() {
        return true;
    }

    @BeforeEach
    void open() {
        codec = newCodec();
    }

    @AfterEach
    void releaseAll() {
        codec.close();
        for (ByteBuf b : toRelease) {
            if (b.refCnt() > 0) {
                b.release();
            }
        }
    }

    private ByteBuf track(ByteBuf b) {
        toRelease.add(b);
        return b;
    }

    static Stream<Arguments> bufferKinds() {
        List<Arguments> out = new ArrayList<>();
        for (Kind src : Kind.values()) {
            for (Kind dst : Kind.values()) {
                out.add(Arguments.of(src, dst));
            }
        }
        return out.stream();
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static byte[] logLike(int n) {
        byte[] line = "127.0.0.1 - - [10/Oct/2024:13:55:36 +0000] \"GET /api/v1/items?id=42 HTTP/1.1\" 200 2326\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = line[i % line.length];
        }
        return out;
    }

    /** Compresses with src/dst of the given kinds, decompresses with the kinds swapped, and compares. */
    private void roundTrip(byte[] data, Kind srcKind, Kind dstKind) throws CorruptBatchException {
        ByteBuf src = track(srcKind.copyOf(data));
        int srcReader = src.readerIndex();
        ByteBuf compressed = track(dstKind.empty(codec.maxCompressedLength(data.length)));
        compressed.writeByte(0xAB); // output must go at the writer index, after what is there
        int n = codec.compress(src, src.readerIndex(), data.length, compressed);

        assertThat(n).isBetween(0, codec.maxCompressedLength(data.length));
        assertThat(compressed.writerIndex()).isEqualTo(1 + n);
        assertThat((int) compressed.getUnsignedByte(0)).isEqualTo(0xAB);
        assertThat(src.readerIndex()).as("compress must not move the source's reader index").isEqualTo(srcReader);

        byte[] wire = new byte[n];
        compressed.getBytes(1, wire);
        ByteBuf in = track(dstKind.copyOf(wire));
        ByteBuf out = track(srcKind.empty(data.length));
        out.writeByte(0xCD);
        codec.decompress(in, in.readerIndex(), n, out, data.length);

        assertThat(out.writerIndex()).isEqualTo(1 + data.length);
        assertThat((int) out.getUnsignedByte(0)).isEqualTo(0xCD);
        byte[] back = new byte[data.length];
        out.getBytes(1, back);
        assertThat(Arrays.equals(back, data)).as("round trip of %d bytes", data.length).isTrue();
    }

    @Test
    void reportsItsType() {
        assertThat(codec.type()).isEqualTo(expectedType());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bufferKinds")
    void emptyInput(Kind src, Kind dst) throws Exception {
        roundTrip(new byte[0], src, dst);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bufferKinds")
    void oneByte(Kind src, Kind dst) throws Exception {
        roundTrip(new byte[] {42}, src, dst);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bufferKinds")
    void oneMebibyteOfRandomBytes(Kind src, Kind dst) throws Exception {
        roundTrip(random(1 << 20, 7), src, dst);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("bufferKinds")
    void highlyCompressibleInputShrinks(Kind src, Kind dst) throws Exception {
        byte[] data = logLike(1 << 20);
        roundTrip(data, src, dst);
        if (expectedType() != CodecType.NONE) {
            ByteBuf out = track(Unpooled.buffer(codec.maxCompressedLength(data.length)));
            int n = codec.compress(track(Unpooled.wrappedBuffer(data)), 0, data.length, out);
            assertThat(n).as("a repeated log line compresses at least 20:1").isLessThan(data.length / 20);
        }
    }

    @Test
    void largestBatchAReceiverAccepts() throws Exception {
        int max = ProtocolLimits.DEFAULT.maxUncompressedSize();
        byte[] data = logLike(max);
        // half random so the codec does real work on part of it
        byte[] noise = random(max / 2, 11);
        System.arraycopy(noise, 0, data, 0, noise.length);
        roundTrip(data, Kind.DIRECT, Kind.DIRECT);
        roundTrip(data, Kind.HEAP, Kind.HEAP);
    }

    @Test
    void compressedOutputOfManyInputsRoundTripsWithOneInstance() throws Exception {
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            int n = rnd.nextInt(0, 4096);
            byte[] data = rnd.nextBoolean() ? random(n, i) : logLike(n);
            Kind[] kinds = Kind.values();
            roundTrip(data, kinds[rnd.nextInt(kinds.length)], kinds[rnd.nextInt(kinds.length)]);
        }
    }

    private byte[] compress(byte[] data) {
        ByteBuf out = track(Unpooled.buffer(codec.maxCompressedLength(data.length)));
        int n = codec.compress(track(Unpooled.wrappedBuffer(data)), 0, data.length, out);
        byte[] wire = new byte[n];
        out.getBytes(0, wire);
        return wire;
    }

    /** Decompresses {@code wire} claiming {@code claimed} bytes; returns the exception or null. */
    private Throwable decompressFailure(byte[] wire, int claimed, Kind kind) {
        ByteBuf in = track(kind.copyOf(wire));
        ByteBuf out = track(kind.empty(Math.max(0, claimed)));
        return catchThrowable(() -> codec.decompress(in, in.readerIndex(), wire.length, out, claimed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void wrongDeclaredLengthIsCorrupt(Kind kind) {
        byte[] data = logLike(10_000);
        byte[] wire = compress(data);
        for (int claimed : new int[] {data.length - 1, data.length + 1, 0, data.length * 2}) {
            Throwable t = decompressFailure(wire, claimed, kind);
            assertThat(t).as("claimed %d of %d", claimed, data.length).isInstanceOf(CorruptBatchException.class);
            assertThat(((CorruptBatchException) t).code()).isEqualTo(ErrorCode.CORRUPT_BATCH);
        }
    }

    static Stream<Kind> kinds() {
        return Stream.of(Kind.values());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void truncatedInputIsCorrupt(Kind kind) {
        byte[] data = logLike(10_000);
        byte[] wire = compress(data);
        for (int cut : new int[] {0, 1, wire.length / 2, wire.length - 1}) {
            Throwable t = decompressFailure(Arrays.copyOf(wire, cut), data.length, kind);
            assertThat(t).as("cut at %d of %d", cut, wire.length).isInstanceOf(CorruptBatchException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void garbageIsCorruptAndNeverAnotherException(Kind kind) {
        SplittableRandom rnd = new SplittableRandom(99);
        byte[] data = logLike(4096);
        byte[] wire = compress(data);
        int failures = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] bad = switch (i % 3) {
                case 0 -> random(rnd.nextInt(1, 300), i); // random bytes
                case 1 -> { // a valid stream with a few bytes changed
                    byte[] b = wire.clone();
                    for (int k = 0; k < 1 + rnd.nextInt(4); k++) {
                        b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                    }
                    yield b;
                }
                default -> { // a valid stream with bytes appended
                    byte[] b = Arrays.copyOf(wire, wire.length + 1 + rnd.nextInt(8));
                    b[b.length - 1] = (byte) rnd.nextInt(256);
                    yield b;
                }
            };
            int claimed = rnd.nextBoolean() ? data.length : rnd.nextInt(0, 8192);
            Throwable t = decompressFailure(bad, claimed, kind);
            if (t != null) {
                assertThat(t).as("case %d", i).isInstanceOf(CorruptBatchException.class);
                failures++;
            }
        }
        assertThat(failures).as("most garbage must be detected").isGreaterThan(detectsDamagedContent() ? 1300 : 600);
    }

    @Test
    void stillWorksAfterCorruptInput() throws Exception {
        byte[] data = logLike(50_000);
        byte[] wire = compress(data);
        assertThat(decompressFailure(Arrays.copyOf(wire, wire.length / 2), data.length, Kind.DIRECT)).isNotNull();
        assertThat(decompressFailure(Arrays.copyOf(wire, wire.length / 2), data.length, Kind.HEAP)).isNotNull();
        roundTrip(data, Kind.DIRECT, Kind.HEAP);
        roundTrip(data, Kind.HEAP, Kind.HEAP);
        roundTrip(data, Kind.DIRECT, Kind.DIRECT);
    }

    @Test
    void maxCompressedLengthIsAnUpperBoundForIncompressibleInput() {
        for (int n : new int[] {0, 1, 100, 65_536, 1 << 20}) {
            byte[] data = random(n, n);
            assertThat(compress(data).length).isLessThanOrEqualTo(codec.maxCompressedLength(n));
        }
    }

    @Test
    void declaredSizeBoundHoldsForTheMostCompressibleInput() {
        for (byte[] data : new byte[][] {new byte[4 << 20], logLike(4 << 20), new byte[1], new byte[0]}) {
            int n = compress(data).length;
            assertThat((long) data.length).as("%d bytes compressed to %d", data.length, n)
                    .isLessThanOrEqualTo(expectedType().maxUncompressedLength(n));
        }
    }

    @Test
    void closeIsIdempotent() {
        codec.close();
        codec.close();
    }

    @Test
    void createdByItsTypeAndCodecSet() throws Exception {
        try (CodecSet set = new CodecSet(3)) {
            Codec c = set.get(expectedType());
            assertThat(c.type()).isEqualTo(expectedType());
            assertThat(set.get(expectedType())).isSameAs(c);
        }
    }
}
