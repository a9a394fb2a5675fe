package io.datastream.sink.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SinkConfigTest {

    @Test
    void withNoConfigAtAllTheSinkReadsLocalKafkaAndWritesUnderTmp() {
        SinkConfig c = SinkConfig.defaults();
        assertThat(c.kafka().bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(c.kafka().topics()).isEmpty();
        assertThat(c.kafka().topicPattern()).isEqualTo("ds-.*");
        assertThat(c.kafka().groupId()).isEqualTo("ds-flink-sink");
        assertThat(c.kafka().startingOffsets()).isEqualTo(StartingOffsets.COMMITTED_OR_EARLIEST);
        assertThat(c.kafka().bounded()).isFalse();
        assertThat(c.output().compression()).isEqualTo(Compression.ZSTD);
        assertThat(c.output().compressionLevel()).isEqualTo(1);
        assertThat(c.output().format()).isEqualTo(LineFormat.RAW);
        assertThat(c.output().bucketPattern()).isEqualTo("'dt='yyyy-MM-dd/'hour='HH");
        assertThat(c.output().timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(c.output().maxPartSizeBytes()).isEqualTo(128L << 20);
        assertThat(c.dedup().ttl()).isEqualTo(Duration.ofDays(7));
        assertThat(c.job().checkpointInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.job().checkpointDir()).isNull();
    }

    @Test
    void readsEveryKey() {
        SinkConfig c = SinkConfig.parse(String.join("\n",
                "kafka:",
                "  bootstrapServers: k1:9092,k2:9092",
                "  topics: [ds-web, ds-app]",
                "  groupId: sink-a",
                "  startingOffsets: earliest",
                "  partitionDiscoveryInterval: 30s",
                "  bounded: true",
                "  properties:",
                "    security.protocol: SSL",
                "    fetch.max.bytes: 52428800",
                "output:",
                "  path: hdfs://nn:8020/logs",
                "  compression: gzip",
                "  compressionLevel: 9",
                "  format: json",
                "  bucketPattern: \"yyyy/MM/dd\"",
                "  timeZone: Asia/Shanghai",
                "  maxPartSize: 64MB",
                "  partPrefix: logs",
                "deadLetter:",
                "  path: hdfs://nn:8020/dead",
                "dedup:",
                "  ttl: 2d",
                "  maxRangesPerFile: 500",
                "job:",
                "  name: sink-a",
                "  parallelism: 4",
                "  checkpointInterval: 1m",
                "  checkpointDir: hdfs://nn:8020/chk"));
        assertThat(c.kafka().bootstrapServers()).isEqualTo("k1:9092,k2:9092");
        assertThat(c.kafka().topics()).containsExactly("ds-web", "ds-app");
        assertThat(c.kafka().topicPattern()).isNull();
        assertThat(c.kafka().startingOffsets()).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(c.kafka().partitionDiscoveryInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.kafka().bounded()).isTrue();
        assertThat(c.kafka().properties()).isEqualTo(Map.of("security.protocol", "SSL", "fetch.max.bytes", "52428800"));
        assertThat(c.output().path()).isEqualTo("hdfs://nn:8020/logs");
        assertThat(c.output().compression()).isEqualTo(Compression.GZIP);
        assertThat(c.output().compressionLevel()).isEqualTo(9);
        assertThat(c.output().format()).isEqualTo(LineFormat.JSON);
        assertThat(c.output().bucketPattern()).isEqualTo("yyyy/MM/dd");
        assertThat(c.output().timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        assertThat(c.output().maxPartSizeBytes()).isEqualTo(64L << 20);
        assertThat(c.output().partPrefix()).isEqualTo("logs");
        assertThat(c.deadLetter().path()).isEqualTo("hdfs://nn:8020/dead");
        assertThat(c.dedup().ttl()).isEqualTo(Duration.ofDays(2));
        assertThat(c.dedup().maxRangesPerFile()).isEqualTo(500);
        assertThat(c.job().name()).isEqualTo("sink-a");
        assertThat(c.job().parallelism()).isEqualTo(4);
        assertThat(c.job().checkpointInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.job().checkpointDir()).isEqualTo("hdfs://nn:8020/chk");
    }

    @Test
    void gzipGetsItsOwnDefaultLevel() {
        assertThat(SinkConfig.parse("output: {compression: gzip}").output().compressionLevel()).isEqualTo(6);
    }

    @Test
    void unknownKeysAreRejectedWithTheirPath() {
        assertThatThrownBy(() -> SinkConfig.parse("output:\n  compresion: gzip\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("output.compresion")
                .hasMessageContaining("unknown key")
                .hasMessageContaining("did you mean 'compression'");
        assertThatThrownBy(() -> SinkConfig.parse("outptu: {}\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("outptu");
        assertThatThrownBy(() -> SinkConfig.parse("output:\n  path:\n    nested: 1\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("output.path");
    }

    @Test
    void badValuesNameTheirKey() {
        assertBad("output:\n  compression: lz4\n", "output.compression", "zstd, gzip");
        assertBad("output:\n  compressionLevel: 30\n", "output.compressionLevel", "1..19");
        assertBad("output:\n  compression: gzip\n  compressionLevel: 12\n", "output.compressionLevel", "1..9");
        assertBad("output:\n  bucketPattern: \"'dt=\"\n", "output.bucketPattern", "pattern");
        assertBad("output:\n  bucketPattern: \"/yyyy\"\n", "output.bucketPattern", "relative");
        assertBad("output:\n  timeZone: Mars/Olympus\n", "output.timeZone", "Mars/Olympus");
        assertBad("output:\n  maxPartSize: 12 parsecs\n", "output.maxPartSize", "parsecs");
        assertBad("output:\n  partPrefix: .hidden\n", "output.partPrefix", "hidden");
        assertBad("dedup:\n  ttl: forever\n", "dedup.ttl", "forever");
        assertBad("dedup:\n  ttl: 0s\n", "dedup.ttl", "at least 1s");
        assertBad("dedup:\n  maxRangesPerFile: many\n", "dedup.maxRangesPerFile", "integer");
        assertBad("job:\n  parallelism: -1\n", "job.parallelism", "0..32768");
        assertBad("job:\n  checkpointInterval: 1ms\n", "job.checkpointInterval", "10ms");
        assertBad("kafka:\n  bootstrapServers: \"\"\n", "kafka.bootstrapServers", "empty");
        assertBad("kafka:\n  topicPattern: \"ds-[\"\n", "kafka.topicPattern", "regex");
        assertBad("kafka:\n  startingOffsets: newest\n", "kafka.startingOffsets", "committed-or-earliest");
        assertBad("kafka:\n  bounded: maybe\n", "kafka.bounded", "true or false");
        assertBad("kafka:\n  properties:\n    group.id: x\n", "kafka.properties", "group.id");
        assertBad("kafka:\n  topics: [a]\n  topicPattern: b\n", "kafka.topics", "not both");
        assertBad("deadLetter:\n  path: file:///tmp/datastream/sink/out/\n", "deadLetter.path", "differ");
        assertBad("kafka: [1, 2]\n", "kafka", "must be a mapping");
        assertBad("output: {path: a, path: b}\n", "(document)", "not valid YAML");
    }

    private static void assertBad(String yaml, String key, String hint) {
        assertThatThrownBy(() -> SinkConfig.parse(yaml))
                .as(yaml)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key))
                .hasMessageContaining(key)
                .hasMessageContaining(hint);
    }

    @Test
    void recordsBuiltInCodeAreCheckedLikeAFile() {
        SinkConfig d = SinkConfig.defaults();
        assertThatThrownBy(() -> d.withKafka(new KafkaConfig("k:9092", List.of("t"), "t.*", "g", StartingOffsets.EARLIEST, Duration.ZERO,
                false, Map.of()))).isInstanceOf(ConfigException.class).hasMessageContaining("kafka.topics: set kafka.topics or kafka.topicPattern, not both");
        SinkConfig custom = d.withKafka(new KafkaConfig("k:9092", List.of("t"), null, "g", StartingOffsets.EARLIEST, Duration.ZERO, true, Map.of()));
        assertThat(custom.kafka().topics()).containsExactly("t");
        assertThat(custom.kafka().topicPattern()).isNull();
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        assertThatThrownBy(() -> SinkConfig.parse("output: {compressionLevel: 30, partPrefix: .x, maxPartSize: 1KB}\njob: {parallelism: -1}\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "output.compressionLevel: must be in 1..19 for zstd, was 30",
                        "output.maxPartSize: must be at least 64KB, was 1024 bytes",
                        "output.partPrefix: must be letters, digits, '.', '_' or '-', not starting with '.' or '_' (hidden files), was '.x'",
                        "job.parallelism: must be in 0..32768, was -1"));
    }

    @Test
    void loadsAFile() throws IOException {
        Path f = Files.createTempFile("sink", ".yaml");
        try {
            Files.writeString(f, "job:\n  name: from-file\n", StandardCharsets.UTF_8);
            assertThat(SinkConfig.load(f).job().name()).isEqualTo("from-file");
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
