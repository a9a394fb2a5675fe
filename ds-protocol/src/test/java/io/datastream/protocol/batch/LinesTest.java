package io.datastream.protocol.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinesTest {
    @Test
    void newlineSearchFindsEveryPosition() {
        Random rnd = new Random(7);
        for (int n = 0; n < 20_000; n++) {
            byte[] b = new byte[rnd.nextInt(80) + 1];
            int oneIn = n % 2 == 0 ? 5 : 60; // dense and sparse: the newline in either word of a step, or in the tail
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (rnd.nextInt(oneIn) == 0 ? '\n' : rnd.nextInt(256));
            }
            int from = rnd.nextInt(b.length);
            int to = from + rnd.nextInt(b.length - from + 1);
            int expected = -1;
            for (int i = from; i < to; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(Lines.indexOfNewline(b, from, to)).isEqualTo(expected);
        }
    }

    @Test
    void lowestMarkedByteIsTheLowestHighBitWhateverIsAboveIt() {
        Random rnd = new Random(11);
        for (int k = 0; k < 8; k++) {
            long lowest = 0x80L << (8 * k);
            assertThat(Lines.lowestMarked(lowest)).isEqualTo(k);
            for (int n = 0; n < 1_000; n++) {
                long above = rnd.nextLong() & 0x8080808080808080L & -(lowest << 1);
                assertThat(Lines.lowestMarked(lowest | above)).isEqualTo(k);
            }
        }
    }
}
