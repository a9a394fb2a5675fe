package io.datastream.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineHeadersTest {
    @Test
    void theOffsetIsWrittenAsLongToStringWould() {
        long[] values = {0, 1, 9, 10, 99, 100, 12_345, 999_999_999, 1_000_000_000, (1L << 31), (1L << 32) + 7,
            999_999_999_999_999_999L, Long.MAX_VALUE, -1, Long.MIN_VALUE};
        for (long v : values) {
            assertThat(new String(LineHeaders.decimal(v), StandardCharsets.UTF_8)).as("%d", v).isEqualTo(Long.toString(v));
        }
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 3; v = v * 3 + 1) {
            assertThat(new String(LineHeaders.decimal(v), StandardCharsets.UTF_8)).isEqualTo(Long.toString(v));
            assertThat(new String(LineHeaders.decimal(v - 1), StandardCharsets.UTF_8)).isEqualTo(Long.toString(v - 1));
        }
    }

    @Test
    void theFingerprintIsWrittenAsFormatWould() {
        long[] values = {0, 1, 0xF, 0x10, 0xABCDEFL, 77, 1L << 63, -1, Long.MAX_VALUE, 0x0123456789abcdefL, 0xfedcba9876543210L};
        for (long v : values) {
            assertThat(new String(LineHeaders.hex16(v), StandardCharsets.UTF_8)).as("%d", v).isEqualTo(String.format("%016x", v));
        }
    }

    @Test
    void theOffsetHeaderIsDsOffset() {
        assertThat(LineHeaders.offset(4096).key()).isEqualTo(LineHeaders.OFFSET);
        assertThat(new String(LineHeaders.offset(4096).value(), StandardCharsets.UTF_8)).isEqualTo("4096");
    }
}
