package io.datastream.router.channel.filequeue;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.channel.ChannelRepair;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.event.EventFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The segment reader on hostile bytes (fixed seeds): random files and mutated valid ones. A scan
 * either throws {@link CorruptSegmentException} (bad header) or returns a valid prefix; it never
 * throws anything else and always ends; a channel opened on such files always opens, counts the
 * repair, and serves exactly the valid prefix.
 */
class SegmentScannerFuzzTest {
    @TempDir
    Path dir;

    /** A valid segment of {@code events} events, cut to its end, as bytes. */
    private byte[] validSegment(Path d, int events) throws IOException {
        FileQueueChannel ch = FileQueueChannel.open("f", EventFormat.JSON, new FileQueueChannel.Settings(d, 1 << 22, 1 << 20,
                FsyncPolicy.NEVER, 20, 60_000), Incarnation.next(), List.of());
        FileQueueChannelTest.put(ch, 0, events);
        ch.shutdown();
        try (Stream<Path> files = Files.list(d)) {
            Path seg = files.filter(p -> p.toString().endsWith(".seg")).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(seg);
            Files.delete(seg);
            return bytes;
        }
    }

    private static SegmentScanner.Scan scanOrNull(byte[] bytes) {
        try {
            SegmentScanner.Scan s = SegmentScanner.scan(ByteBuffer.wrap(bytes));
            assertThat(s.validEnd()).isBetween(SegmentLayout.HEADER_BYTES, bytes.length);
            assertThat(s.corruptBytes()).isBetween(0L, (long) bytes.length - s.validEnd());
            return s;
        } catch (CorruptSegmentException e) {
            return null;
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButCorruptSegmentException() {
        Random rnd = new Random(16);
        byte[] header = new byte[SegmentLayout.HEADER_BYTES];
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[rnd.nextInt(4096)];
            rnd.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length >= header.length) {
                // a valid header followed by garbage: the frames are what is fuzzed
                ByteBuffer b = ByteBuffer.wrap(bytes);
                b.putInt(0, SegmentLayout.MAGIC).putShort(4, SegmentLayout.VERSION).putLong(16, rnd.nextLong() & ((1L << 40) - 1));
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(bytes, 0, SegmentLayout.HEADER_CRC_OFFSET);
                b.putInt(SegmentLayout.HEADER_CRC_OFFSET, (int) crc.getValue());
                SegmentScanner.Scan s = scanOrNull(bytes);
                assertThat(s).isNotNull();
                if (bytes.length > SegmentLayout.HEADER_BYTES + 8) {
                    assertThat(s.clean()).isFalse(); // random frames are never mistaken for a clean end
                }
            } else {
                scanOrNull(bytes);
            }
        }
    }

    @Test
    void mutatedSegmentsKeepTheirValidPrefix() throws IOException {
        byte[] valid = validSegment(dir.resolve("v"), 200);
        SegmentScanner.Scan whole = scanOrNull(valid);
        assertThat(whole.events()).isEqualTo(200);
        assertThat(whole.clean()).isTrue();
        Random rnd = new Random(1644);
        for (int i = 0; i < 3_000; i++) {
            byte[] bytes = valid.clone();
            int at;
            if (i % 3 == 0) {
                bytes = java.util.Arrays.copyOf(bytes, at = rnd.nextInt(valid.length)); // truncated
            } else {
                at = rnd.nextInt(valid.length);
                bytes[at] ^= (byte) (1 + rnd.nextInt(255)); // one byte flipped
                for (int k = rnd.nextInt(3); k > 0; k--) {
                    bytes[SegmentLayout.HEADER_BYTES + rnd.nextInt(bytes.length - SegmentLayout.HEADER_BYTES)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            SegmentScanner.Scan s = scanOrNull(bytes);
            if (at < SegmentLayout.HEADER_BYTES) {
                continue; // header damage is the exception, or a still-valid header after truncation to it
            }
            assertThat(s).isNotNull();
            if (i % 3 != 0) {
                assertThat(s.clean()).as("a flipped byte at %d is found", at).isFalse();
                assertThat(s.validEnd()).isLessThanOrEqualTo(at);
            }
        }
    }

    @Test
    void aChannelOpensOnMutatedFilesCountsTheRepairAndServesTheValidPrefix() throws Exception {
        byte[] valid = validSegment(dir.resolve("v"), 100);
        Random rnd = new Random(17644);
        for (int i = 0; i < 40; i++) {
            Path d = dir.resolve("c" + i);
            Files.createDirectories(d);
            byte[] bytes = valid.clone();
            int at = SegmentLayout.HEADER_BYTES + rnd.nextInt(valid.length - SegmentLayout.HEADER_BYTES);
            bytes[at] ^= (byte) (1 + rnd.nextInt(255));
            Files.write(d.resolve(SegmentLayout.fileName(ByteBuffer.wrap(valid).getLong(SegmentLayout.SEGMENT_ID_OFFSET))), bytes);
            SegmentScanner.Scan expected = SegmentScanner.scan(ByteBuffer.wrap(bytes));
            FileQueueChannel ch = FileQueueChannel.open("f", EventFormat.JSON, new FileQueueChannel.Settings(d, 1 << 22, 1 << 20,
                    FsyncPolicy.NEVER, 20, 60_000), Incarnation.next(), List.of(new FileQueueChannel.ConsumerSpec("a", false)));
            assertThat(ch.repairs(ChannelRepair.TORN_TAIL)).isEqualTo(1);
            List<ChannelRecord> all = FileQueueChannelTest.drain(ch.consumer("a"), true);
            assertThat((long) all.size()).isEqualTo(expected.events());
            ch.shutdown();
        }
    }
}
