package io.datastream.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.task.EventTime;
import io.datastream.registry.task.FieldError;
import io.datastream.registry.task.HostSelector;
import io.datastream.registry.task.Multiline;
import io.datastream.registry.task.TaskSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskSpecTest {

    @Test
    void defaultsAreFilledIn() {
        TaskSpec t = TaskSpec.of("web", List.of("/var/log/*.log"), "ds-web");
        assertThat(t.validate()).isEmpty();
        assertThat(t.codec()).isEqualTo("lz4");
        assertThat(t.maxLineBytes()).isEqualTo(TaskSpec.DEFAULT_MAX_LINE_BYTES);
        assertThat(t.startPosition()).isEqualTo(TaskSpec.StartPosition.BEGINNING);
        assertThat(t.overLongLines()).isEqualTo(TaskSpec.OverLongLines.TRUNCATE);
        assertThat(t.hosts()).isEqualTo(HostSelector.ALL);
    }

    @Test
    void everyInvalidFieldIsNamed() {
        TaskSpec t = new TaskSpec("-bad id", List.of("relative/*.log", "/ok/[.log"), List.of(""), "bad topic!",
                Map.of("ds.reserved", "x"), new Multiline("(unclosed", 0, 5L), 3, null, null, -1L, "gzip",
                new HostSelector(List.of("web-[", "db-*"), Map.of()), null, null);
        List<String> fields = t.validate().stream().map(FieldError::field).toList();
        assertThat(fields).contains("id", "paths[0]", "paths[1]", "exclude[0]", "topic", "headers.ds.reserved",
                "multiline.startPattern", "multiline.maxLines", "multiline.flushTimeoutMs", "maxLineBytes",
                "rateLimitBytesPerSec", "codec", "hosts.hostnames");
    }

    @Test
    void eventTimeDefaultsToAutoInUtcAndIsValidated() {
        TaskSpec t = TaskSpec.of("t", List.of("/var/log/*.log"), null);
        assertThat(t.eventTime().format()).isEqualTo(EventTime.Format.AUTO);
        assertThat(t.eventTime().zone()).isEqualTo("UTC");
        assertThat(t.compressedFiles()).isEqualTo(TaskSpec.CompressedFiles.SKIP);
        TaskSpec bad = new TaskSpec("t", List.of("/a/*.log"), null, null, null, null, null, null, null, null, null, null,
                new EventTime(EventTime.Format.PATTERN, null, "Mars/Olympus"), null);
        assertThat(bad.validate()).extracting(FieldError::field).containsExactlyInAnyOrder("eventTime.pattern", "eventTime.zone");
        TaskSpec badPattern = new TaskSpec("t", List.of("/a/*.log"), null, null, null, null, null, null, null, null, null, null,
                new EventTime(EventTime.Format.PATTERN, "yyyy-MM-dd {", null), null);
        assertThat(badPattern.validate()).extracting(FieldError::field).containsExactly("eventTime.pattern");
        TaskSpec strayPattern = new TaskSpec("t", List.of("/a/*.log"), null, null, null, null, null, null, null, null, null, null,
                new EventTime(EventTime.Format.CLF, "yyyy", null), null);
        assertThat(strayPattern.validate()).extracting(FieldError::field).containsExactly("eventTime.pattern");
        for (EventTime.Format f : EventTime.Format.values()) {
            assertThat(EventTime.Format.ofHeader(f.header())).isEqualTo(f);
        }
    }

    @Test
    void pathsMayNotClimbOutOfTheirDirectory() {
        TaskSpec t = TaskSpec.of("t", List.of("/var/log/../../root/.ssh/id_rsa", "/var/log/./x.log", "/var/log/app/*.log"), null);
        assertThat(t.validate()).extracting(FieldError::field).containsExactly("paths[0]", "paths[1]");
        assertThat(t.validate().get(0).message()).contains("'..'");
    }

    @Test
    void multilinePatternsAreRe2() {
        TaskSpec backref = new TaskSpec("t", List.of("/a/*.log"), null, null, null, new Multiline("^(\\d)\\1", null, null), null, null,
                null, null, null, null, null, null);
        assertThat(backref.validate()).extracting(FieldError::message).singleElement().asString()
                .contains("RE2").contains("back-references");
        TaskSpec fine = new TaskSpec("t", List.of("/a/*.log"), null, null, null, new Multiline("^\\d{4}-\\d{2}", null, null), null, null,
                null, null, null, null, null, null);
        assertThat(fine.validate()).isEmpty();
    }

    @Test
    void missingPathsAndIdAreRequired() {
        TaskSpec t = new TaskSpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        assertThat(t.validate()).extracting(FieldError::field).containsExactlyInAnyOrder("id", "paths");
    }

    @Test
    void nullElementsAreReportedNotThrown() {
        TaskSpec t = new TaskSpec("x", java.util.Arrays.asList("/a/*.log", null), null, null, null, null, null, null, null,
                null, null, new HostSelector(java.util.Arrays.asList((String) null), null), null, null);
        assertThat(t.validate()).extracting(FieldError::field).contains("paths[1]", "hosts.hostnames");
    }

    @Test
    void hostNamesThatAreNotPathsNeverMatch() {
        assertThat(new HostSelector(List.of("web-*"), Map.of()).matches("web-\u0000", Map.of())).isFalse();
    }

    @Test
    void hostSelectorMatchesGlobsAndLabels() {
        HostSelector s = new HostSelector(List.of("web-*"), Map.of("env", "prod"));
        assertThat(s.matches("web-01", Map.of("env", "prod", "dc", "a"))).isTrue();
        assertThat(s.matches("web-01", Map.of("env", "dev"))).isFalse();
        assertThat(s.matches("db-01", Map.of("env", "prod"))).isFalse();
        assertThat(HostSelector.ALL.matches("anything", Map.of())).isTrue();
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        TaskSpec t = new TaskSpec("app", List.of("/var/log/app/**/*.log"), List.of("/var/log/app/tmp/*"), "ds-app",
                Map.of("logType", "jvm"), new Multiline("^\\d{4}-", 200, 1000L), 4096, TaskSpec.OverLongLines.SPLIT,
                TaskSpec.StartPosition.END, 1_000_000L, "zstd", new HostSelector(List.of("app-*"), Map.of("env", "prod")),
                new EventTime(EventTime.Format.PATTERN, "yyyy-MM-dd HH:mm:ss", "Europe/Berlin"), TaskSpec.CompressedFiles.DECOMPRESS);
        TaskSpec back = RegistryJson.read(RegistryJson.write(t), TaskSpec.class);
        assertThat(back).isEqualTo(t);
        assertThat(new String(RegistryJson.write(t))).contains("\"overLongLines\":\"split\"", "\"startPosition\":\"end\"");
    }

    @Test
    void layoutPathsSitUnderTheRoot() {
        ZkLayout l = new ZkLayout("/ds");
        assertThat(l.task("a")).isEqualTo("/ds/tasks/a");
        assertThat(l.agent("x")).isEqualTo("/ds/agents/x");
        assertThat(l.router("r")).isEqualTo("/ds/routers/r");
        assertThat(ZkLayout.name(l.router("r"))).isEqualTo("r");
    }
}
