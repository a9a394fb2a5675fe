package io.datastream.router.channel.filequeue;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.channel.ChannelRepair;
import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.event.EventFormat;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Version 1 files written by hand from the layout in {@link SegmentLayout} and {@link PositionFile}
 * (src/test/resources/filequeue/v1): a later version must still open them.
 */
class GoldenFormatTest {
    @TempDir
    Path dir;

    private void copy(String name) throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/filequeue/v1/" + name)) {
            Files.createDirectories(dir.resolve(name).getParent());
            Files.copy(in, dir.resolve(name));
        }
    }

    @Test
    void version1SegmentAndPositionFilesOpen() throws Exception {
        copy("0000000000000000.seg");
        copy("consumers/a.pos");
        FileQueueChannel ch = FileQueueChannel.open("golden", EventFormat.JSON,
                new FileQueueChannel.Settings(dir, 1 << 22, 1 << 20, FsyncPolicy.NEVER, 20, 60_000), Incarnation.next(),
                List.of(new FileQueueChannel.ConsumerSpec("a", false), new FileQueueChannel.ConsumerSpec("b", false)));
        for (ChannelRepair r : ChannelRepair.values()) {
            assertThat(ch.repairs(r)).isZero();
        }
        List<ChannelRecord> b = FileQueueChannelTest.drain(ch.consumer("b"), false);
        assertThat(b).extracting(FileQueueChannelTest::body)
                .containsExactly("{\"headers\":{\"logType\":\"jvm\"},\"body\":\"first\"}", "{\"headers\":{},\"body\":\"second\"}",
                        "{\"headers\":{},\"body\":\"\"}");
        assertThat(b).extracting(ChannelRecord::position).containsExactly(1000L, 1045L, 1076L);
        assertThat(b).extracting(ChannelRecord::timeMillis).containsExactly(1700000000000L, 1700000000001L, 1700000000002L);
        assertThat(b.get(0).incarnation()).isEqualTo(new Incarnation(0x1122334455667788L, 1700000000000L));
        List<ChannelRecord> a = FileQueueChannelTest.drain(ch.consumer("a"), false);
        assertThat(a).extracting(ChannelRecord::position).containsExactly(1045L, 1076L);
        assertThat(ch.endPosition()).isEqualTo(1101L);
        ch.shutdown();
    }
}
