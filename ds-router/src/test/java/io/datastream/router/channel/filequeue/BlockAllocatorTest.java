package io.datastream.router.channel.filequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** posix_fallocate through JNA gives a segment file its blocks without writing them; zeros where it cannot. */
class BlockAllocatorTest {
    private static final int SIZE = 4 << 20;

    @TempDir
    Path tmp;

    /** Allocated bytes of {@code file} by {@code stat} (st_blocks x 512), which Java does not expose. */
    private static long allocatedBytes(Path file) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        String[] parts = out.split(" ");
        return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
    }

    @Test
    void fallocateGrowsTheFileAndAllocatesItsBlocks() throws Exception {
        assumeThat(BlockAllocator.available()).as("posix_fallocate through JNA (64-bit Linux)").isTrue();
        Path f = Files.createFile(tmp.resolve("a.alloc"));
        BlockAllocator.Result r = BlockAllocator.allocate(f, SIZE);
        assumeThat(r).as("the file system of %s supports fallocate", tmp).isEqualTo(BlockAllocator.Result.ALLOCATED);
        assertThat(Files.size(f)).isEqualTo(SIZE);
        assertThat(allocatedBytes(f)).isGreaterThanOrEqualTo(SIZE);
        try (FileChannel fc = FileChannel.open(f, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(SIZE);
            while (b.hasRemaining() && fc.read(b) >= 0) {
                // read all
            }
            b.flip();
            while (b.hasRemaining()) {
                assertThat(b.get()).isZero();
            }
        }
    }

    @Test
    void aMissingFileIsAnIoErrorNotACrash() {
        assumeThat(BlockAllocator.available()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BlockAllocator.allocate(tmp.resolve("missing"), SIZE))
                .isInstanceOf(IOException.class).hasMessageContaining("cannot open");
    }

    @Test
    void writingZerosAllocatesTooWhereFallocateCannot() throws Exception {
        Path f = tmp.resolve("b.alloc");
        try (FileChannel fc = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            Segment.writeZeros(fc, SIZE);
        }
        assertThat(Files.size(f)).isEqualTo(SIZE);
        assertThat(allocatedBytes(f)).isGreaterThanOrEqualTo(SIZE);
    }
}
