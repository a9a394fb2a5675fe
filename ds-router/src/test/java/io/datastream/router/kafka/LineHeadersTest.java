package io.datastream.router.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.router.config.KafkaConfig;
import io.datastream.embedded.logs.LogKind;
import io.datastream.router.sim.SourceStream;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
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

    @Test
    void theConfigNamesTheHeadersOfThisClassInItsOrder() {
        assertThat(KafkaConfig.LINES_HEADERS).containsExactly(LineHeaders.TASK, LineHeaders.AGENT, LineHeaders.HOST, LineHeaders.PATH,
                LineHeaders.FINGERPRINT, LineHeaders.OFFSET);
    }

    @Test
    void theCommonHeadersAreTheOnesNamedInTheDocumentedOrderWithTheOffsetSlotLast() throws Exception {
        Batch b = batch();
        Header[] all = LineHeaders.common(b, KafkaConfig.LINES_HEADERS);
        assertThat(all).hasSize(6);
        assertThat(all[5]).isNull();
        assertThat(Arrays.stream(all, 0, 5).map(h -> h.key() + "=" + new String(h.value(), StandardCharsets.UTF_8)))
                .containsExactly("ds.task=t", "ds.agent=a-1", "ds.host=h", "ds.path=/var/log/x.log", "ds.fingerprint=00000000000004d2");
        Header[] few = LineHeaders.common(b, List.of(LineHeaders.OFFSET, LineHeaders.PATH, LineHeaders.AGENT));
        assertThat(few).hasSize(3);
        assertThat(few[2]).isNull();
        assertThat(Arrays.stream(few, 0, 2).map(Header::key)).containsExactly(LineHeaders.AGENT, LineHeaders.PATH);
        assertThat(LineHeaders.checked(KafkaConfig.LINES_HEADERS)).isEqualTo(KafkaConfig.LINES_HEADERS);
        for (List<String> bad : List.of(List.of(LineHeaders.AGENT, LineHeaders.PATH), List.of(LineHeaders.OFFSET, LineHeaders.OFFSET),
                List.of(LineHeaders.OFFSET, "ds.hostname"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> LineHeaders.checked(bad)).as("%s", bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ds.offset");
        }
    }

    private static Batch batch() throws Exception {
        try (SourceStream s = new SourceStream(new BatchSource("t", "a-1", "h", "/var/log/x.log", 1234, Map.of()), CodecType.NONE,
                LogKind.JAVA_APP, 1234, 64 << 10)) {
            return Envelope.parse(ByteBufUtil.getBytes(s.next(3).bytes())).batch();
        }
    }
}
