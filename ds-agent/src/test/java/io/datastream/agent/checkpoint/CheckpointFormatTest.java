package io.datastream.agent.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFormatTest {
    @TempDir
    Path dir;

    private static byte[] golden() throws IOException {
        return golden("v1");
    }

    private static byte[] golden(String version) throws IOException {
        try (InputStream in = CheckpointFormatTest.class.getResourceAsStream("/checkpoint/" + version + "/checkpoints.bin")) {
            assertThat(in).as("golden file").isNotNull();
            return in.readAllBytes();
        }
    }

    @Test
    void readsTheVersion1GoldenFile() throws Exception {
        CheckpointFormat.Contents c = CheckpointFormat.decode(golden());
        assertThat(c.version()).isEqualTo(1);
        assertThat(c.writtenAtMillis()).isEqualTo(GoldenCheckpoints.WRITTEN_AT);
        assertThat(c.entries()).containsExactlyElementsOf(GoldenCheckpoints.V1);
        assertThat(c.entries().get(3).path()).isEqualTo("/srv/app/logs/spaß.log");
        assertThat(c.entries().get(2).fingerprintLength()).as("a short-file fingerprint").isEqualTo(42);
        assertThat(c.entries()).as("version 1 has no counted offsets: each is the acknowledged offset")
                .allSatisfy(e -> assertThat(e.countedOffset()).isEqualTo(e.offset()));
        assertThat(c.counts()).as("version 1 has no minute counts").isEmpty();
        assertThat(c.openMinute()).isEqualTo(-1);
    }

    @Test
    void aVersion1FileIsRewrittenAsVersion2WithTheSameEntries() throws Exception {
        CheckpointFormat.Contents v1 = CheckpointFormat.decode(golden());
        CheckpointFormat.Contents v2 = CheckpointFormat.decode(CheckpointFormat.encode(v1.entries(), v1.counts(), v1.openMinute(), v1.writtenAtMillis()));
        assertThat(v2.version()).isEqualTo(2);
        assertThat(v2.entries()).isEqualTo(v1.entries());
    }

    @Test
    void readsAndWritesTheVersion2GoldenFileByteForByte() throws Exception {
        CheckpointFormat.Contents c = CheckpointFormat.decode(golden("v2"));
        assertThat(c.version()).isEqualTo(2);
        assertThat(c.entries()).containsExactlyElementsOf(GoldenCheckpoints.V2);
        assertThat(c.entries().get(0).countedOffset()).isEqualTo(1_050_000L);
        assertThat(c.counts()).containsExactlyElementsOf(GoldenCheckpoints.V2_COUNTS);
        assertThat(c.openMinute()).isEqualTo(GoldenCheckpoints.V2_OPEN_MINUTE);
        assertThat(c.entries().get(0).ranges()).hasSize(2);
        assertThat(CheckpointFormat.encode(GoldenCheckpoints.V2, GoldenCheckpoints.V2_COUNTS, GoldenCheckpoints.V2_OPEN_MINUTE,
                GoldenCheckpoints.WRITTEN_AT))
                .isEqualTo(golden("v2"));
    }

    @Test
    void startsWithMagicAndVersion() throws Exception {
        ByteBuffer b = ByteBuffer.wrap(golden());
        assertThat(b.getInt()).isEqualTo(0x44534143);
        assertThat(b.getShort()).isEqualTo((short) 1);
    }

    @Test
    void rejectsDamagedFiles() throws Exception {
        byte[] g = golden();
        byte[] flipped = g.clone();
        flipped[40] ^= 1;
        assertThatThrownBy(() -> CheckpointFormat.decode(flipped)).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("CRC32C");
        byte[] magic = g.clone();
        magic[0] = 'X';
        assertThatThrownBy(() -> CheckpointFormat.decode(magic)).hasMessageContaining("magic");
        byte[] version = g.clone();
        version[5] = 9;
        assertThatThrownBy(() -> CheckpointFormat.decode(version)).hasMessageContaining("version 9");
        assertThatThrownBy(() -> CheckpointFormat.decode(Arrays.copyOf(g, g.length - 10))).isInstanceOf(CorruptCheckpointException.class);
        assertThatThrownBy(() -> CheckpointFormat.decode(new byte[3])).isInstanceOf(CorruptCheckpointException.class);
    }

    @Test
    void randomBytesNeverThrowAnythingButCorruptCheckpoint() {
        Random rnd = new Random(3);
        byte[] base = CheckpointFormat.encode(GoldenCheckpoints.V2, GoldenCheckpoints.V2_COUNTS, GoldenCheckpoints.V2_OPEN_MINUTE, 1);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = i % 2 == 0 ? new byte[rnd.nextInt(200)] : Arrays.copyOf(base, rnd.nextInt(base.length + 20));
            if (i % 2 == 0) {
                rnd.nextBytes(b);
            } else if (b.length > 0) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt();
            }
            try {
                CheckpointFormat.decode(b);
            } catch (CorruptCheckpointException e) {
                // expected
            }
        }
    }

    @Test
    void theFileIsReplacedAtomicallyAndAStaleTemporaryIsIgnored() throws Exception {
        CheckpointFile f = new CheckpointFile(dir);
        assertThat(f.load().entries()).isEmpty();
        f.write(GoldenCheckpoints.V1, 5);
        Files.writeString(dir.resolve("checkpoints.bin.tmp"), "half a write from a crash");
        assertThat(f.load().entries()).containsExactlyElementsOf(GoldenCheckpoints.V1);
        assertThat(Files.exists(dir.resolve("checkpoints.bin.tmp"))).isFalse();
        f.write(List.of(GoldenCheckpoints.V1.get(0)), 6);
        assertThat(f.load().entries()).containsExactly(GoldenCheckpoints.V1.get(0));
        Files.write(dir.resolve("checkpoints.bin"), new byte[]{1, 2, 3});
        assertThatThrownBy(f::load).isInstanceOf(CorruptCheckpointException.class).hasMessageContaining("move the file aside");
    }
}
