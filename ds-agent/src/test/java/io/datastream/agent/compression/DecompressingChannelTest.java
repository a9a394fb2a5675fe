package io.datastream.agent.compression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.protocol.codec.ZstdStreams;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecompressingChannelTest {
    @TempDir
    Path dir;

    /** Log-like bytes: compressible, with a random part. */
    private static byte[] content(Random r, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (i % 80 == 79) ? (byte) '\n' : (byte) ('a' + (r.nextInt(8) == 0 ? r.nextInt(26) : (i % 26)));
        }
        return b;
    }

    private Path gzip(byte[] data) throws IOException {
        Path p = dir.resolve("f.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(p))) {
            out.write(data);
        }
        return p;
    }

    /** Compresses with a Debian command ({@code zstd}, {@code bzip2}, {@code xz}) reading stdin; null if there is none. */
    private Path compressWith(String command, String suffix, byte[] data) throws IOException {
        Path p = dir.resolve("f" + suffix);
        Process z;
        try {
            z = new ProcessBuilder(command, "-c").redirectOutput(p.toFile()).start();
        } catch (IOException e) {
            return null;
        }
        try (OutputStream out = z.getOutputStream()) {
            out.write(data);
        }
        try {
            return z.waitFor() == 0 ? p : null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Test
    void randomPositionalReadsSeeTheDecompressedBytes() throws Exception {
        Random r = new Random(42);
        byte[] data = content(r, 9 << 20); // larger than the kept window: reads far back decompress again
        assertPositionalReads(r, data, gzip(data), Compression.GZIP);
    }

    @Test
    void bzip2AndXzFilesToo() throws Exception {
        Random r = new Random(9);
        byte[] data = content(r, 1 << 20);
        Path bz = compressWith("bzip2", ".bz2", data);
        org.junit.jupiter.api.Assumptions.assumeTrue(bz != null, "the bzip2 command is needed to write a bzip2 file");
        assertPositionalReads(r, data, bz, Compression.BZIP2);
        Path xz = compressWith("xz", ".xz", data);
        org.junit.jupiter.api.Assumptions.assumeTrue(xz != null, "the xz command is needed to write an xz file");
        assertPositionalReads(r, data, xz, Compression.XZ);
    }

    @Test
    void zstdFilesToo() throws Exception {
        Random r = new Random(7);
        byte[] data = content(r, 1 << 20);
        Path p = compressWith("zstd", ".zst", data);
        org.junit.jupiter.api.Assumptions.assumeTrue(p != null, "the zstd command (Debian's zstd) is needed to write a zstd file");
        assertPositionalReads(r, data, p, Compression.ZSTD);
        try (var in = ZstdStreams.decompressing(Files.newInputStream(p))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    private static void assertPositionalReads(Random r, byte[] data, Path file, Compression c) throws IOException {
        byte[] head = new byte[Compression.SNIFF_BYTES];
        System.arraycopy(Files.readAllBytes(file), 0, head, 0, head.length);
        assertThat(Compression.sniff(head, head.length)).isEqualTo(c);
        try (DecompressingChannel ch = DecompressingChannel.open(file, c)) {
            assertThat(ch.size()).isEqualTo(data.length);
            long pos = 0;
            for (int i = 0; i < 300; i++) {
                int kind = r.nextInt(10);
                if (kind < 6) {
                    // forward, like the record reader
                } else if (kind < 8) {
                    pos = Math.max(0, pos - r.nextInt(64 << 10)); // a partial record read again
                } else if (kind < 9) {
                    pos = r.nextInt(4096); // the first bytes (fingerprints)
                } else {
                    pos = (long) r.nextInt(data.length); // anywhere
                }
                ByteBuffer b = ByteBuffer.allocate(1 + r.nextInt(256 << 10));
                int n = ch.read(b, pos);
                if (pos >= data.length) {
                    assertThat(n).isEqualTo(-1);
                    pos = 0;
                    continue;
                }
                assertThat(n).isPositive();
                assertThat(Arrays.copyOfRange(b.array(), 0, n)).isEqualTo(Arrays.copyOfRange(data, (int) pos, (int) pos + n));
                pos += n;
            }
            assertThat(ch.read(ByteBuffer.allocate(10), data.length)).isEqualTo(-1);
        }
    }

    @Test
    void aTruncatedFileIsAnErrorNotAShortFile() throws Exception {
        byte[] data = content(new Random(1), 1 << 20);
        Path gz = gzip(data);
        byte[] all = Files.readAllBytes(gz);
        Files.write(gz, Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> DecompressingChannel.open(gz, Compression.GZIP)).isInstanceOf(IOException.class);
    }

    @Test
    void textIsNotCompressed() {
        byte[] text = "2024-05-01T12:00:00Z BZh9 is not at the start\n".getBytes();
        assertThat(Compression.sniff(text, text.length)).isNull();
        assertThat(Compression.sniff(new byte[] {'B', 'Z', 'h', '9'}, 4)).isEqualTo(Compression.BZIP2);
        assertThat(Compression.sniff(new byte[] {'B', 'Z', 'h', 'x'}, 4)).isNull();
        assertThat(Compression.sniff(new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0}, 6)).isEqualTo(Compression.XZ);
        assertThat(Compression.sniff(new byte[] {0x1f, (byte) 0x8b}, 2)).as("too short to tell").isNull();
    }
}
