package io.datastream.embedded.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The log generators: the same seed gives the same bytes, lines look like their kind, and the
 * bulk helpers cut on line boundaries.
 */
class LogGeneratorTest {
    private static final Pattern COMBINED = Pattern.compile(
            "^\\S+ - \\S+ \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000] \"(GET|POST|PUT|DELETE) \\S+ HTTP/1\\.1\" "
                    + "\\d{3} (\\d+|-) \"[^\"]*\" \"[^\"]*\"$");
    private static final Pattern LOGBACK = Pattern.compile(
            "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{3} (INFO |DEBUG|WARN |ERROR) \\[[^]]+] .+ - .+$");
    private static final Pattern TRACE = Pattern.compile("^(\tat \\S+\\(.*\\)|Caused by: .+|\t\\.\\.\\. \\d+ more)$");

    private static String text(byte[] line) {
        return new String(line, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(LogKind.class)
    void sameSeedSameBytesOtherSeedOtherBytes(LogKind kind) {
        byte[] a = LogGenerator.sample(kind, 7, 256 << 10);
        assertThat(LogGenerator.sample(kind, 7, 256 << 10)).isEqualTo(a);
        assertThat(LogGenerator.sample(kind, 8, 256 << 10)).isNotEqualTo(a);
        assertThat(LogGenerator.of(kind, 7).kind()).isEqualTo(kind);
    }

    @ParameterizedTest
    @EnumSource(LogKind.class)
    void bulkHelpersCutOnLineBoundariesAndLoseNoLine(LogKind kind) {
        LogGenerator bulk = LogGenerator.of(kind, 3);
        LogGenerator single = LogGenerator.of(kind, 3);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        for (int max : new int[] {10_000, 1, 0, 77_777, 4096}) {
            byte[] chunk = bulk.generate(max);
            assertThat(chunk.length).isLessThanOrEqualTo(max);
            if (chunk.length > 0) {
                assertThat(chunk[chunk.length - 1]).isEqualTo((byte) '\n');
            }
            got.writeBytes(chunk);
        }
        long written = bulk.writeTo(got, 50_000);
        assertThat(written).isBetween(45_000L, 50_000L);
        while (expected.size() < got.size()) {
            expected.writeBytes(single.nextLine());
            expected.write('\n');
        }
        assertThat(got.toByteArray()).isEqualTo(expected.toByteArray());
        assertThatThrownBy(() -> bulk.generate(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void webAccessLinesAreInCombinedLogFormatWithRealisticVariety() {
        List<byte[]> lines = LogGenerator.of(LogKind.WEB_ACCESS, 1).nextLines(20_000);
        Set<String> ips = new HashSet<>();
        int ok = 0;
        for (byte[] l : lines) {
            String s = text(l);
            assertThat(s).matches(COMBINED);
            ips.add(s.substring(0, s.indexOf(' ')));
            if (s.contains("\" 200 ")) {
                ok++;
            }
        }
        assertThat(ips.size()).as("distinct clients").isBetween(1_000, 19_000);
        assertThat(ok).as("mostly 200").isBetween(14_000, 19_500);
        assertThat(lines.stream().map(LogGeneratorTest::text)).anyMatch(s -> s.contains("\" 404 "))
                .anyMatch(s -> s.contains("\" 304 -")).anyMatch(s -> s.contains("Googlebot")).anyMatch(s -> s.contains("POST "));
    }

    @Test
    void javaLogsHaveMultiLineStackTracesNowAndThen() {
        List<byte[]> lines = LogGenerator.of(LogKind.JAVA_APP, 1).nextLines(20_000);
        int traceLines = 0;
        int errors = 0;
        for (byte[] l : lines) {
            String s = text(l);
            if (TRACE.matcher(s).matches()) {
                traceLines++;
            } else {
                assertThat(s).matches(LOGBACK);
                if (s.contains(" ERROR ")) {
                    errors++;
                }
            }
        }
        assertThat(errors).isBetween(100, 1_500);
        assertThat(traceLines).as("stack trace lines").isBetween(500, 8_000);
        assertThat(lines.stream().map(LogGeneratorTest::text)).anyMatch(s -> s.startsWith("Caused by: "))
                .anyMatch(s -> s.matches("\t\\.\\.\\. \\d+ more"));
    }

    @Test
    void jsonLinesAreObjectsWithSharedTraceIds() {
        List<byte[]> lines = LogGenerator.of(LogKind.JSON, 1).nextLines(5_000);
        Set<String> traces = new HashSet<>();
        for (byte[] l : lines) {
            String s = text(l);
            assertThat(s).startsWith("{\"@timestamp\":\"2024-05-01T").endsWith("}").doesNotContain("\n");
            int t = s.indexOf("\"trace.id\":\"") + 12;
            traces.add(s.substring(t, t + 16));
        }
        assertThat(traces.size()).as("a request logs several lines").isBetween(900, 2_600);
    }

    @Test
    void timeStartsWhereAskedAndMovesForward() {
        String first = text(LogGenerator.of(LogKind.JSON, 1, 0L).nextLine());
        assertThat(first).startsWith("{\"@timestamp\":\"1970-01-01T00:00:00.");
        String[] lines = text(LogGenerator.sample(LogKind.JAVA_APP, 2, 1 << 20)).split("\n");
        String last = Arrays.stream(lines).filter(s -> s.startsWith("2024")).reduce((a, b) -> b).orElseThrow();
        assertThat(last.substring(0, 23)).isGreaterThan(lines[0].substring(0, 23));
    }
}
