package io.datastream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.member.AgentInfo;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.member.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskStatusJsonTest {

    @Test
    void statusWithoutDropsByReasonFromAnOlderAgentStillReads() throws Exception {
        String old = """
                {"state":"running","files":2,"backlogBytes":10,"lagMillis":5,"linesRead":7,"bytesRead":70,
                 "linesAcked":6,"droppedLines":1,"droppedBytes":99,"errors":0,"someFieldFromTheFuture":1}
                """;
        TaskStatus s = RegistryJson.read(old.getBytes(StandardCharsets.UTF_8), TaskStatus.class);
        assertThat(s.droppedBytes()).isEqualTo(99);
        assertThat(s.droppedBytesByReason()).isEmpty();
        assertThat(s.droppedLinesByReason()).isEmpty();
    }

    @Test
    void dropsByReasonRoundTripUnderTheirFixedNames() throws Exception {
        TaskStatus s = new TaskStatus("running", 1, 0, 0, 1, 1, 1, 1, 130, 0, null,
                Map.of(DropReason.COMPRESSED.wireName(), 100L, DropReason.TRUNCATED_UNREAD.wireName(), 30L),
                Map.of(DropReason.OVER_LONG_LINE.wireName(), 1L));
        AgentInfo info = new AgentInfo("a", "h", "v", Map.of(), List.of("t"), Map.of("t", s), null, 1, 2);
        byte[] json = RegistryJson.write(info);
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"droppedBytesByReason\":{", "\"compressed\":100",
                "\"truncatedUnread\":30", "\"overLongLine\":1");
        assertThat(RegistryJson.read(json, AgentInfo.class)).isEqualTo(info);
        assertThat(DropReason.COMPRESSED.wireName()).isEqualTo("compressed");
    }
}
