package io.datastream.router.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Kafka sink's test for an event id on the JSON form, against the serializer, on random events. */
class ClientEventIdsTest {
    private static final String[] PIECES = {"\\\\", "\\\\\"ds.eventId\":", "ds.eventId", "\"ds.eventId\":", "\"", ":", "\\", "x", "é", "ds.eventI", "\n"};

    private static String random(Random rnd) {
        StringBuilder b = new StringBuilder();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            b.append(PIECES[rnd.nextInt(PIECES.length)]);
        }
        return b.toString();
    }

    @Test
    void foundExactlyWhenTheHeaderIsThere() {
        Random rnd = new Random(7);
        JsonEventSerializer json = new JsonEventSerializer();
        for (int i = 0; i < 20_000; i++) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int h = rnd.nextInt(4); h > 0; h--) {
                headers.put(rnd.nextInt(5) == 0 ? ClientEventIds.EVENT_ID : random(rnd), random(rnd));
            }
            Event e = new Event(headers, random(rnd).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(ClientEventIds.inJson(json.serialize(e))).as("%s", headers).isEqualTo(headers.containsKey(ClientEventIds.EVENT_ID));
        }
    }

    @Test
    void idsAreBoundedAndNotEmpty() {
        assertThat(ClientEventIds.problem("a")).isNull();
        assertThat(ClientEventIds.problem("é".repeat(64))).isNull();
        assertThat(ClientEventIds.problem("é".repeat(65))).contains("over the limit of 128");
        assertThat(ClientEventIds.problem("")).contains("empty");
    }
}
