package io.datastream.sink.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class DeadLetterEncoderTest {
    @Test
    void oneJsonObjectPerLineKeepingTheRawBytes() throws Exception {
        byte[] raw = {0, 1, 2, (byte) 0xFF, '\n', '"'};
        DeadLetter d = new DeadLetter("ds-web", 3, 42, 1_700_000_000_000L, DeadLetter.STAGE_PARSE, "bad \"magic\"\n0x1", raw);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DeadLetterEncoder enc = new DeadLetterEncoder();
        enc.encode(d, out);
        enc.encode(d, out);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(lines[2]).isEmpty();
        JsonNode n = new ObjectMapper().readTree(lines[0]);
        assertThat(n.get("topic").asText()).isEqualTo("ds-web");
        assertThat(n.get("partition").asInt()).isEqualTo(3);
        assertThat(n.get("offset").asLong()).isEqualTo(42);
        assertThat(n.get("timestamp").asLong()).isEqualTo(1_700_000_000_000L);
        assertThat(n.get("stage").asText()).isEqualTo("parse");
        assertThat(n.get("error").asText()).isEqualTo("bad \"magic\"\n0x1");
        assertThat(n.get("size").asInt()).isEqualTo(6);
        assertThat(Base64.getDecoder().decode(n.get("value_base64").asText())).isEqualTo(raw);
    }
}
