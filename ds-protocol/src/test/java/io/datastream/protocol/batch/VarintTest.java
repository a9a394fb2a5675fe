package io.datastream.protocol.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VarintTest {
    @Test
    void sizeIsWhatPutWritesAtEveryBoundary() {
        byte[] out = new byte[10];
        for (int bits = 0; bits <= 64; bits++) {
            long top = bits == 64 ? -1L : (1L << bits) - 1; // the largest value of `bits` bits
            for (long v : new long[] {top, top + 1, top - 1}) {
                assertThat(Varint.size(v)).as("size of %s", Long.toUnsignedString(v)).isEqualTo(Varint.put(out, 0, v));
            }
        }
        assertThat(Varint.size(0)).isEqualTo(1);
        assertThat(Varint.size(127)).isEqualTo(1);
        assertThat(Varint.size(128)).isEqualTo(2);
        assertThat(Varint.size(Long.MAX_VALUE)).isEqualTo(9);
        assertThat(Varint.size(-1L)).isEqualTo(10);
    }

    @Test
    void sizeIsWhatPutWritesForRandomValues() {
        SplittableRandom r = new SplittableRandom(19);
        byte[] out = new byte[10];
        for (int i = 0; i < 100_000; i++) {
            long v = r.nextLong() >>> r.nextInt(64);
            assertThat(Varint.size(v)).isEqualTo(Varint.put(out, 0, v));
        }
    }
}
