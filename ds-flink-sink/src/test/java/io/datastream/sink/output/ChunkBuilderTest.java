package io.datastream.sink.output;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.protocol.batch.Batch;
import io.datastream.protocol.codec.CodecType;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.sink.config.LineFormat;
import io.datastream.sink.testing.SourceFile;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkBuilderTest {
    private final SourceFile file = new SourceFile("task\"1", "agent-1", "host\t1", "/var/log/a\\b.log", 7,
            List.of("first line", "second\twith tab", "{\"json\":true}"), 1_700_000_000_000L, 10);

    private String build(LineFormat format) {
        Envelope e = Envelope.parse(file.envelope(0, 3, CodecType.NONE));
        Batch b = e.batch();
        ChunkBuilder c = new ChunkBuilder(format);
        c.begin(b);
        for (int i = 0; i < 3; i++) {
            byte[] line = file.line(i).getBytes(StandardCharsets.UTF_8);
            c.append(file.offset(i), Unpooled.wrappedBuffer(line), 0, line.length);
        }
        OutputChunk chunk = c.build(b.taskId(), b.firstEventTime());
        assertThat(chunk.lines()).isEqualTo(3);
        assertThat(chunk.eventTime()).isEqualTo(1_700_000_000_000L);
        assertThat(chunk.data().length).isEqualTo(c.size());
        return new String(chunk.data(), StandardCharsets.UTF_8);
    }

    @Test
    void rawIsTheLineAndANewline() {
        assertThat(build(LineFormat.RAW)).isEqualTo("first line\nsecond\twith tab\n{\"json\":true}\n");
    }

    @Test
    void tsvPrefixesEscapedHostPathAndTheOffset() {
        assertThat(build(LineFormat.TSV)).isEqualTo(
                "host\\t1\t/var/log/a\\\\b.log\t0\tfirst line\n"
                        + "host\\t1\t/var/log/a\\\\b.log\t11\tsecond\twith tab\n"
                        + "host\\t1\t/var/log/a\\\\b.log\t27\t{\"json\":true}\n");
    }

    @Test
    void jsonPrefixIsValidJsonFollowedByTheRawLine() throws Exception {
        String[] lines = build(LineFormat.JSON).split("\n");
        assertThat(lines).hasSize(3);
        ObjectMapper m = new ObjectMapper();
        for (int i = 0; i < 3; i++) {
            int tab = lines[i].indexOf("}\t");
            JsonNode meta = m.readTree(lines[i].substring(0, tab + 1));
            assertThat(meta.get("task").asText()).isEqualTo("task\"1");
            assertThat(meta.get("agent").asText()).isEqualTo("agent-1");
            assertThat(meta.get("host").asText()).isEqualTo("host\t1");
            assertThat(meta.get("path").asText()).isEqualTo("/var/log/a\\b.log");
            assertThat(meta.get("offset").asLong()).isEqualTo(file.offset(i));
            assertThat(lines[i].substring(tab + 2)).isEqualTo(file.line(i));
        }
    }

    @Test
    void writesDecimalsLikeLongToString() {
        byte[] out = new byte[32];
        for (long v : new long[]{0, 7, 10, 99, 100, 123456789, Long.MAX_VALUE}) {
            int end = ChunkBuilder.writeDecimal(v, out, 3);
            assertThat(new String(out, 3, end - 3, StandardCharsets.US_ASCII)).isEqualTo(Long.toString(v));
        }
    }
}
