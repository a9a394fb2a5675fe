package io.datastream.sink.eventid;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The id of a router event line, and hostile bytes (a fixed-seed random corpus). */
class EventIdReaderTest {
    private final EventIdReader reader = new EventIdReader();

    private String read(String task, String line, boolean direct) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = direct ? Unpooled.directBuffer(b.length + 8) : Unpooled.buffer(b.length + 8);
        try {
            buf.writeBytes("xxxx".getBytes(StandardCharsets.US_ASCII)).writeBytes(b);
            return reader.read(task, buf, 4, b.length);
        } finally {
            buf.release();
        }
    }

    @Test
    void readsTheClientAndIdFromTheHeadersOnHeapAndDirectBuffers() {
        String line = "{\"headers\":{\"app\":\"x\",\"ds.eventId\":\"42\",\"ds.client\":\"app-a\"},\"body\":\"hello\"}";
        assertThat(read("sdk", line, false)).isEqualTo(EventIdReader.key("sdk", "app-a", "42"));
        assertThat(read("sdk", line, true)).isEqualTo(EventIdReader.key("sdk", "app-a", "42"));
        assertThat(read("sdk", "{\"body\":\"b\",\"headers\":{\"ds.eventId\":\"7\"}}", false)).isEqualTo(EventIdReader.key("sdk", "", "7"));
    }

    @Test
    void noIdAndUnreadableLinesAreToldApart() {
        assertThat(read("t", "{\"headers\":{\"app\":\"x\"},\"body\":\"b\"}", false)).isEqualTo(EventIdReader.NONE);
        assertThat(read("t", "{\"body\":\"b\"}", false)).isEqualTo(EventIdReader.NONE);
        assertThat(read("t", "plain text", false)).isEqualTo(EventIdReader.UNREADABLE);
        assertThat(read("t", "{\"headers\":{\"ds.eventId\":5}}", false)).isEqualTo(EventIdReader.UNREADABLE);
        assertThat(read("t", "{\"headers\":{\"ds.eventId\":\"" + "i".repeat(257) + "\"}}", false)).isEqualTo(EventIdReader.UNREADABLE);
        assertThat(read("t", "{\"headers\":{\"ds.eventId\":\"1\"", false)).isEqualTo(EventIdReader.UNREADABLE);
    }

    @Test
    void keysOfDifferentTriplesNeverMeet() {
        Set<String> keys = new HashSet<>();
        String[] parts = {"", "1", "a", "1:a", "a1", "11", ":", "1:"};
        int n = 0;
        for (String task : parts) {
            for (String client : parts) {
                for (String id : parts) {
                    keys.add(EventIdReader.key(task, client, id));
                    n++;
                }
            }
        }
        assertThat(keys).hasSize(n);
    }

    @Test
    void hostileBytesNeverThrow() {
        Random rnd = new Random(20261203L);
        byte[] seed = "{\"headers\":{\"ds.eventId\":\"abc\",\"ds.client\":\"c\"},\"body\":\"\\u00e9 text\"}".getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 100_000; i++) {
            byte[] b = seed.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            }
            int len = rnd.nextInt(b.length + 1);
            ByteBuf buf = Unpooled.wrappedBuffer(b);
            String k = reader.read("t", buf, 0, len);
            assertThat(k).isNotNull();
        }
    }
}
