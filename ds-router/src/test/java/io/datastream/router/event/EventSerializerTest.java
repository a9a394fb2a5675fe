package io.datastream.router.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The same contract for every format: round trip, header order, any body bytes. */
class EventSerializerTest {
    private static Event event(String body, Map<String, String> headers) {
        return new Event(headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyFormatRoundTripsAnyEvent() throws Exception {
        Random random = new Random(15);
        for (EventFormat f : EventFormat.values()) {
            assertThat(EventFormat.fromId(f.id())).isSameAs(f);
            assertThat(EventFormat.fromConfig(f.configName())).isSameAs(f);
            for (int i = 0; i < 500; i++) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (int h = random.nextInt(5); h > 0; h--) {
                    headers.put("k" + random.nextInt(100), "v\n\"\u00e9\ud83d\ude00" + random.nextInt());
                }
                byte[] body = new byte[random.nextInt(200)];
                random.nextBytes(body);
                if (i % 2 == 0) {
                    body = ("line\nwith \"quotes\" \u0000 and \u2028 " + i).getBytes(StandardCharsets.UTF_8);
                }
                Event e = new Event(headers, body);
                Event back = f.serializer().deserialize(f.serializer().serialize(e));
                assertThat(back.headers()).containsExactlyEntriesOf(headers);
                assertThat(back.body()).isEqualTo(body);
            }
        }
    }

    @Test
    void jsonIsOneLine() {
        byte[] line = EventFormat.JSON.serializer().serialize(event("a\nb\r\n", Map.of("x", "1\n2")));
        assertThat(new String(line, StandardCharsets.UTF_8)).isEqualTo("{\"headers\":{\"x\":\"1\\n2\"},\"body\":\"a\\nb\\r\\n\"}");
        byte[] binaryBody = EventFormat.JSON.serializer().serialize(new Event(Map.of(), new byte[] {(byte) 0xff, 0x0a}));
        assertThat(new String(binaryBody, StandardCharsets.UTF_8)).isEqualTo("{\"headers\":{},\"bodyBase64\":\"/wo=\"}");
    }

    @Test
    void truncatedBytesAreMalformed() {
        byte[] b = EventFormat.BINARY.serializer().serialize(event("body", Map.of("k", "v")));
        for (int cut = 0; cut < b.length; cut++) {
            byte[] shorter = java.util.Arrays.copyOf(b, cut);
            assertThatThrownBy(() -> EventFormat.BINARY.serializer().deserialize(shorter)).isInstanceOf(MalformedEventException.class);
        }
        assertThatThrownBy(() -> EventFormat.JSON.serializer().deserialize("[1]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedEventException.class);
    }

    @Test
    void utf8ValidationIsStrict() {
        assertThat(Utf8.isValid("h\u00e9\u20ac\ud83d\ude00".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(Utf8.isValid(new byte[] {(byte) 0xc0, (byte) 0x80})).isFalse(); // overlong
        assertThat(Utf8.isValid(new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80})).isFalse(); // surrogate
        assertThat(Utf8.isValid(new byte[] {(byte) 0xe2, (byte) 0x82})).isFalse(); // truncated
        assertThat(Utf8.isValid(new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80})).isFalse(); // > U+10FFFF
    }
}
