package io.datastream.protocol.fuzz;

import io.datastream.protocol.ErrorCode;
import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchLayout;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.frame.Ack;
import io.datastream.protocol.frame.AckStatus;
import io.datastream.protocol.frame.BatchFrame;
import io.datastream.protocol.frame.Credit;
import io.datastream.protocol.frame.ErrorFrame;
import io.datastream.protocol.frame.Frame;
import io.datastream.protocol.frame.FrameCodec;
import io.datastream.protocol.frame.GoAway;
import io.datastream.protocol.frame.GoAwayReason;
import io.datastream.protocol.frame.Heartbeat;
import io.datastream.protocol.frame.Hello;
import io.datastream.protocol.frame.Welcome;
import io.datastream.protocol.testing.SampleFrames;
import io.datastream.protocol.testing.TestBatches;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Seeds for the fuzz tests (valid frames and batches: every golden file, the samples, and
 * generated ones) and the mutations applied to them: bit flips, byte changes, truncation,
 * length-field changes, splicing, insertion, deletion and duplication. Deterministic for a
 * given seed.
 */
final class FuzzCorpus {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789 -_/.:é✓";

    final List<byte[]> frames = new ArrayList<>();
    final List<byte[]> batches = new ArrayList<>();

    FuzzCorpus(long seed, int generatedFrames, int generatedBatches) {
        SplittableRandom rnd = new SplittableRandom(seed);
        addGoldenFiles();
        for (Frame f : SampleFrames.controlFrames().values()) {
            frames.add(encode(f));
        }
        for (CodecType c : CodecType.values()) {
            ByteBuf b = TestBatches.build(c.create(), TestBatches.source(), SampleFrames.BATCH_START, SampleFrames.BATCH_LINES);
            batches.add(TestBatches.bytes(b));
            b.release();
        }
        try (CodecSet codecs = new CodecSet(1);
             BatchBuilder builder = new BatchBuilder(new UnpooledByteBufAllocator(false), 1 << 14, 64)) {
            for (int i = 0; i < generatedBatches; i++) {
                batches.add(randomBatch(rnd, builder, codecs));
            }
        }
        for (int i = 0; i < generatedFrames; i++) {
            frames.add(encode(randomControlFrame(rnd)));
        }
        for (int i = 0; i < batches.size(); i += 3) {
            frames.add(batchFrame(rnd.nextLong(), batches.get(i)));
        }
    }

    /** Every version-1 golden file, as the first seeds. */
    private void addGoldenFiles() {
        try {
            Path dir = Path.of(FuzzCorpus.class.getClassLoader().getResource("golden/v1").toURI());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith("frame-") && name.endsWith(".bin")) {
                        frames.add(Files.readAllBytes(f));
                    } else if (name.startsWith("batch-") && name.endsWith(".bin")) {
                        batches.add(Files.readAllBytes(f));
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("golden files not found on the test classpath", e);
        }
    }

    static byte[] encode(Frame f) {
        ByteBuf out = Unpooled.buffer();
        FrameCodec.encodeControl(f, out);
        return ByteBufUtil.getBytes(out);
    }

    static byte[] batchFrame(long id, byte[] batch) {
        BatchFrame f = new BatchFrame(id, Unpooled.wrappedBuffer(batch));
        ByteBuf out = Unpooled.buffer();
        FrameCodec.encodeBatchHeader(f, out);
        out.writeBytes(batch);
        return ByteBufUtil.getBytes(out);
    }

    static String randomString(SplittableRandom rnd, int max) {
        int n = rnd.nextInt(0, max + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(rnd.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    static Map<String, String> randomMap(SplittableRandom rnd) {
        Map<String, String> m = new LinkedHashMap<>();
        int n = rnd.nextInt(0, 4);
        for (int i = 0; i < n; i++) {
            m.put(randomString(rnd, 20), randomString(rnd, 40));
        }
        return m;
    }

    static Frame randomControlFrame(SplittableRandom rnd) {
        switch (rnd.nextInt(7)) {
            case 0:
                return new Hello(rnd.nextInt(0x10000), rnd.nextInt(0x10000), rnd.nextInt(0x10000), randomString(rnd, 40),
                        randomString(rnd, 40), randomString(rnd, 30), randomString(rnd, 10), randomMap(rnd));
            case 1:
                return new Welcome(rnd.nextInt(0x10000), rnd.nextInt(0x10000), rnd.nextInt(1, Integer.MAX_VALUE),
                        rnd.nextInt(1, Integer.MAX_VALUE), rnd.nextLong(0, Long.MAX_VALUE), randomString(rnd, 30), randomMap(rnd));
            case 2:
                return new Credit(rnd.nextLong(0, Long.MAX_VALUE));
            case 3:
                return new Ack(rnd.nextLong(), AckStatus.values()[rnd.nextInt(3)],
                        ErrorCode.values()[rnd.nextInt(ErrorCode.values().length)], randomString(rnd, 60));
            case 4:
                return new Heartbeat(rnd.nextLong());
            case 5: {
                List<String> routers = new ArrayList<>();
                int n = rnd.nextInt(0, 4);
                for (int i = 0; i < n; i++) {
                    routers.add(randomString(rnd, 30));
                }
                return new GoAway(GoAwayReason.values()[rnd.nextInt(2)], routers, randomString(rnd, 40));
            }
            default:
                return new ErrorFrame(ErrorCode.values()[rnd.nextInt(ErrorCode.values().length)], randomString(rnd, 60));
        }
    }

    static byte[] randomBatch(SplittableRandom rnd, BatchBuilder builder, CodecSet codecs) {
        Map<String, String> headers = rnd.nextBoolean() ? Map.of() : Map.of("k", randomString(rnd, 10));
        BatchSource src = new BatchSource(randomString(rnd, 12), randomString(rnd, 12), randomString(rnd, 12),
                "/" + randomString(rnd, 30), rnd.nextLong(), headers);
        builder.begin(src, rnd.nextLong(0, 1L << 40));
        int lines = rnd.nextInt(0, 30);
        byte[] line = new byte[300];
        for (int i = 0; i < lines; i++) {
            int len = rnd.nextInt(0, 200);
            boolean repetitive = rnd.nextBoolean();
            for (int k = 0; k < len; k++) {
                line[k] = repetitive ? (byte) ('a' + k % 7) : (byte) rnd.nextInt(256);
            }
            long gap = switch (rnd.nextInt(10)) {
                case 0 -> 0;
                case 1 -> 2;
                case 2 -> rnd.nextLong(3, 1L << 33);
                default -> 1;
            };
            if (!builder.tryAppend(line, 0, len, gap, rnd.nextLong(0, 1L << 42))) {
                break;
            }
        }
        ByteBuf b = builder.finish(codecs.get(CodecType.values()[rnd.nextInt(3)]));
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    // ------------------------------------------------------------------ mutations

    /** A mutated copy of {@code seed}; {@code other} is a second input for splicing. */
    static byte[] mutate(SplittableRandom rnd, byte[] seed, byte[] other, boolean batch) {
        byte[] b = seed;
        int rounds = 1 + rnd.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            b = mutateOnce(rnd, b, other, batch);
        }
        return b;
    }

    private static byte[] mutateOnce(SplittableRandom rnd, byte[] in, byte[] other, boolean batch) {
        byte[] b = in.clone();
        switch (rnd.nextInt(10)) {
            case 0: // bit flips
            case 1: {
                if (b.length == 0) {
                    return b;
                }
                int flips = 1 + rnd.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
                return b;
            }
            case 2: { // random byte values
                if (b.length == 0) {
                    return b;
                }
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                return b;
            }
            case 3: // truncation
                return Arrays.copyOf(b, b.length == 0 ? 0 : rnd.nextInt(b.length));
            case 4: // length fields
            case 5:
                return batch ? batchField(rnd, b) : frameLength(rnd, b);
            case 6: { // splice: a prefix of this one and a suffix of the other
                int cut = rnd.nextInt(b.length + 1);
                int from = rnd.nextInt(other.length + 1);
                byte[] out = Arrays.copyOf(b, cut + other.length - from);
                System.arraycopy(other, from, out, cut, other.length - from);
                return out;
            }
            case 7: { // insert random bytes
                int at = rnd.nextInt(b.length + 1);
                int n = 1 + rnd.nextInt(16);
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at);
                for (int i = 0; i < n; i++) {
                    out[at + i] = (byte) rnd.nextInt(256);
                }
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
            case 8: { // delete a range
                if (b.length == 0) {
                    return b;
                }
                int at = rnd.nextInt(b.length);
                int n = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] out = new byte[b.length - n];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(b, at + n, out, at, b.length - at - n);
                return out;
            }
            default: { // duplicate a range
                if (b.length == 0) {
                    return b;
                }
                int at = rnd.nextInt(b.length);
                int n = 1 + rnd.nextInt(Math.min(32, b.length - at));
                byte[] out = new byte[b.length + n];
                System.arraycopy(b, 0, out, 0, at + n);
                System.arraycopy(b, at, out, at + n, b.length - at);
                return out;
            }
        }
    }

    private static int interestingInt(SplittableRandom rnd, int current) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MAX_VALUE;
            case 3 -> Integer.MIN_VALUE;
            case 4 -> current + rnd.nextInt(-8, 9);
            case 5 -> current * 2;
            case 6 -> rnd.nextInt(0, 1 << 16);
            default -> rnd.nextInt();
        };
    }

    private static byte[] frameLength(SplittableRandom rnd, byte[] b) {
        if (b.length < 4) {
            return b;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        if (rnd.nextBoolean() || b.length < 8) {
            buf.setInt(0, interestingInt(rnd, buf.getInt(0)));
        } else { // a u16 string or count length somewhere in the body
            int at = 6 + rnd.nextInt(b.length - 7);
            buf.setShort(at, interestingInt(rnd, buf.getUnsignedShort(at)));
        }
        return b;
    }

    private static final int[] BATCH_INT_FIELDS = {BatchLayout.RECORD_COUNT_OFFSET, BatchLayout.UNCOMPRESSED_LENGTH_OFFSET,
        BatchLayout.PAYLOAD_LENGTH_OFFSET, BatchLayout.DICTIONARY_ID_OFFSET};
    private static final int[] BATCH_LONG_FIELDS = {BatchLayout.START_OFFSET_OFFSET, BatchLayout.END_OFFSET_OFFSET};

    private static byte[] batchField(SplittableRandom rnd, byte[] b) {
        if (b.length < BatchLayout.FIXED_HEADER_LENGTH) {
            return b;
        }
        ByteBuf buf = Unpooled.wrappedBuffer(b);
        switch (rnd.nextInt(5)) {
            case 0, 1 -> {
                int at = BATCH_INT_FIELDS[rnd.nextInt(BATCH_INT_FIELDS.length)];
                buf.setInt(at, interestingInt(rnd, buf.getInt(at)));
            }
            case 2 -> {
                int at = BATCH_LONG_FIELDS[rnd.nextInt(BATCH_LONG_FIELDS.length)];
                long v = buf.getLong(at);
                buf.setLong(at, switch (rnd.nextInt(4)) {
                    case 0 -> v + rnd.nextInt(-4, 5);
                    case 1 -> Long.MAX_VALUE - rnd.nextInt(100);
                    case 2 -> -1;
                    default -> rnd.nextLong();
                });
            }
            case 3 -> buf.setShort(BatchLayout.HEADER_LENGTH_OFFSET, interestingInt(rnd, buf.getUnsignedShort(BatchLayout.HEADER_LENGTH_OFFSET)));
            default -> { // a byte of the (uncompressed or compressed) record payload area
                int at = BatchLayout.FIXED_HEADER_LENGTH + rnd.nextInt(b.length - BatchLayout.FIXED_HEADER_LENGTH + 1);
                if (at < b.length) {
                    b[at] = (byte) interestingInt(rnd, b[at]);
                }
            }
        }
        return b;
    }

    static byte[] randomBytes(SplittableRandom rnd) {
        byte[] b = new byte[rnd.nextInt(0, 512)];
        rnd.nextBytes(b);
        return b;
    }
}
