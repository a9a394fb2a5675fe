package io.datastream.router.channel.filequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.router.channel.FsyncPolicy;
import io.datastream.router.channel.Incarnation;
import io.datastream.router.event.EventFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A channel directory records the format of its entries, and a channel reopened with another one is refused, saying what to do. */
class ChannelMetaTest {
    @TempDir
    Path dir;

    private FileQueueChannel open(EventFormat format, String contents) throws IOException {
        return FileQueueChannel.open("events", format, contents, new FileQueueChannel.Settings(dir, 1 << 22, 1 << 20, FsyncPolicy.NEVER, 20, 20),
                Incarnation.next(), List.of(new FileQueueChannel.ConsumerSpec("kafka", false)));
    }

    /** A json channel holding {@code events} events, stopped. */
    private void writeJson(int events) throws IOException {
        FileQueueChannel ch = open(EventFormat.JSON, "json");
        FileQueueChannelTest.put(ch, 0, events);
        ch.close();
        ch.shutdown();
    }

    @Test
    void aChannelReopenedWithAnotherFormatIsRefusedAndItsSegmentsKept() throws IOException {
        writeJson(10);
        assertThat(ChannelMeta.read(dir).format()).isEqualTo("json");
        List<Path> segments;
        try (var files = Files.list(dir)) {
            segments = files.filter(p -> p.toString().endsWith(SegmentLayout.SUFFIX)).toList();
        }
        assertThat(segments).isNotEmpty();

        assertThatThrownBy(() -> open(EventFormat.BINARY, "batches"))
                .isInstanceOf(IOException.class)
                .hasMessage("channel events: " + dir + " holds entries of format 'json', but the channel is configured with format"
                        + " 'batches'; drain it with format 'json' first, or give the channel another dir");
        assertThat(segments).allMatch(Files::exists);
        assertThat(ChannelMeta.read(dir).format()).isEqualTo("json");

        open(EventFormat.JSON, "json").shutdown(); // the same format opens again
    }

    @Test
    void aDirectoryWrittenBeforeTheMetaFileExistedTakesTheConfiguredFormat() throws IOException {
        writeJson(3);
        Files.delete(dir.resolve(ChannelMeta.FILE)); // as a channel of the previous release left it
        open(EventFormat.JSON, "json").shutdown();
        assertThat(ChannelMeta.read(dir).format()).isEqualTo("json");
    }

    @Test
    void anUnreadableMetaFileBesideSegmentsIsRefusedWithWhatToDo() throws IOException {
        writeJson(3);
        Files.write(dir.resolve(ChannelMeta.FILE), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> open(EventFormat.JSON, "json"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is unreadable (size 3 is too small)")
                .hasMessageEndingWith("if they are 'json', delete that file and start again");
    }

    @Test
    void decodingHostileBytesNeverThrows() {
        Random random = new Random(42);
        byte[] good = ChannelMeta.encode("batches");
        assertThat(ChannelMeta.decode(good).format()).isEqualTo("batches");
        for (int i = 0; i < 10_000; i++) {
            byte[] b = random.nextBoolean() ? good.clone() : new byte[random.nextInt(40)];
            if (random.nextBoolean()) {
                random.nextBytes(b);
            } else if (b.length > 0) {
                b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
            }
            ChannelMeta.Read r = ChannelMeta.decode(b);
            assertThat(r.format() == null ^ r.problem() == null).as("a format or a problem").isTrue();
        }
    }
}
