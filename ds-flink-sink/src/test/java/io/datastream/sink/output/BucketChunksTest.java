package io.datastream.sink.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.testing.SourceFile;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketChunksTest {
    private static final TimeBuckets HOURS = new TimeBuckets("'dt='yyyy-MM-dd/'hour='HH", ZoneOffset.UTC);
    private final SourceFile file = new SourceFile("t", "a", "h", "/p", 1, SourceFile.numberedLines("x", 20), 1, 1);
    private final Batch batch = Envelope.parse(file.envelope(0, 20, CodecType.NONE)).batch();

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    private List<OutputChunk> cut(BucketChunks c, long... times) {
        c.begin(batch);
        for (int i = 0; i < times.length; i++) {
            byte[] line = file.line(i).getBytes(StandardCharsets.UTF_8);
            c.append(file.offset(i), Unpooled.wrappedBuffer(line), 0, line.length, times[i]);
        }
        List<OutputChunk> out = new ArrayList<>();
        c.emit("t", out::add);
        return out;
    }

    private static List<String> lines(OutputChunk c) {
        return List.of(new String(c.data(), StandardCharsets.UTF_8).split("\n"));
    }

    @Test
    void linesOfOneBucketAreOneChunk() {
        List<OutputChunk> out = cut(new BucketChunks(LineFormat.RAW, HOURS),
                t("2026-12-03T05:00:00Z"), t("2026-12-03T05:10:00Z"), t("2026-12-03T05:59:59.999Z"));
        assertThat(out).hasSize(1);
        assertThat(out.get(0).lines()).isEqualTo(3);
        assertThat(out.get(0).eventTime()).isEqualTo(t("2026-12-03T05:00:00Z"));
    }

    @Test
    void eachLineGoesToTheChunkOfItsBucketInFirstSeenOrder() {
        BucketChunks c = new BucketChunks(LineFormat.RAW, HOURS);
        List<OutputChunk> out = cut(c,
                t("2026-12-03T05:59:00Z"), t("2026-11-26T13:00:00Z"), t("2026-12-03T06:00:00Z"), 0,
                t("2026-12-03T05:30:00Z"), t("2026-11-26T13:59:00Z"), 0);
        assertThat(out).extracting(OutputChunk::eventTime)
                .containsExactly(t("2026-12-03T05:59:00Z"), t("2026-11-26T13:00:00Z"), t("2026-12-03T06:00:00Z"), 0L);
        assertThat(lines(out.get(0))).containsExactly(file.line(0), file.line(4));
        assertThat(lines(out.get(1))).containsExactly(file.line(1), file.line(5));
        assertThat(lines(out.get(2))).containsExactly(file.line(2));
        assertThat(lines(out.get(3))).containsExactly(file.line(3), file.line(6));
        assertThat(c.lines()).isEqualTo(7);
        assertThat(c.size()).isEqualTo(out.stream().mapToLong(o -> o.data().length).sum());
    }

    @Test
    void manyBucketsInOneBatchAndTheBuildersAreReused() {
        BucketChunks c = new BucketChunks(LineFormat.RAW, HOURS);
        long[] times = new long[20];
        for (int i = 0; i < 20; i++) {
            times[i] = t("2026-12-01T00:00:00Z") + i * 3_600_000L;
        }
        assertThat(cut(c, times)).hasSize(20).allSatisfy(o -> assertThat(o.lines()).isEqualTo(1));
        assertThat(cut(c, times[0], times[0])).hasSize(1);
    }

    @Test
    void bucketsFollowTheOutputZone() {
        TimeBuckets tokyo = new TimeBuckets("'dt='yyyy-MM-dd", ZoneId.of("Asia/Tokyo"));
        List<OutputChunk> out = cut(new BucketChunks(LineFormat.RAW, tokyo), t("2026-12-03T14:59:00Z"), t("2026-12-03T15:00:00Z"));
        assertThat(out).extracting(o -> tokyo.format(o.eventTime())).containsExactly("dt=2026-12-03", "dt=2026-12-04");
    }

    @Test
    void patternsWithSecondsAreNotCachedPerMinute() {
        TimeBuckets seconds = new TimeBuckets("yyyy/MM/dd/HH/mm/ss", ZoneOffset.UTC);
        assertThat(seconds.format(t("2026-12-03T05:12:01Z"))).isEqualTo("2026/12/03/05/12/01");
        assertThat(seconds.format(t("2026-12-03T05:12:02Z"))).isEqualTo("2026/12/03/05/12/02");
        assertThat(TimeBuckets.hasSecondFields("'dt='yyyy-MM-dd/'hour='HH")).isFalse();
        assertThat(TimeBuckets.hasSecondFields("'secs'HH")).isFalse();
        assertThat(TimeBuckets.hasSecondFields("HH-mm-ss")).isTrue();
    }
}
