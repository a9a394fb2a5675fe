package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.config.SinkConfig;
import io.datastream.sink.deadletter.DeadLetters;
import io.datastream.sink.output.OutputChunk;
import io.datastream.sink.output.TaskTimeBucketAssigner;
import io.datastream.sink.testing.JobCounters;
import io.datastream.sink.testing.OutputFiles;
import io.datastream.sink.testing.SourceFile;
import io.datastream.sink.testing.TamperedEnvelopes;
import io.datastream.sink.testing.WireTraffic;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole job on a Flink MiniCluster reading a real Kafka broker (KRaft) and writing file://
 * output, read back the way a user would: finished files only, decompressed.
 */
class SinkJobIT extends SinkOnKafka {
    private static final int PARALLELISM = 2;
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .setConfiguration(METRICS.addToConfiguration(new Configuration()))
            .build());

    @TempDir
    Path dir;

    private String config(String topic, boolean bounded, String extraOutput) {
        return String.join("\n",
                "kafka:",
                "  bootstrapServers: " + kafka.bootstrapServers(),
                "  topics: [" + topic + "]",
                "  groupId: group-" + topic,
                "  startingOffsets: committed-or-earliest",
                "  bounded: " + bounded,
                "output:",
                "  path: " + dir.resolve("out").toUri(),
                extraOutput,
                "deadLetter:",
                "  path: " + dir.resolve("dead").toUri(),
                "job:",
                "  parallelism: " + PARALLELISM,
                "  checkpointInterval: 500ms",
                "  checkpointDir: " + dir.resolve("checkpoints").toUri(),
                "");
    }

    private static StreamExecutionEnvironment environment(SinkConfig cfg) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        SinkJob.configureEnvironment(env, cfg);
        return env;
    }

    @Test
    void everyLineExactlyOnceDespiteDuplicatesOverlapsAndReordering() throws Exception {
        String topic = "ds-dedup";
        kafka.createTopic(topic, 3);
        long t0 = Instant.parse("2024-03-05T10:15:00Z").toEpochMilli();
        List<SourceFile> files = List.of(
                new SourceFile("web", "agent-1", "host-1", "/var/log/nginx/access.log", 11, SourceFile.numberedLines("web a1", 400), t0, 250),
                new SourceFile("web", "agent-2", "host-2", "/var/log/nginx/access.log", 11, SourceFile.numberedLines("web a2", 400), t0, 250),
                new SourceFile("app", "agent-1", "host-1", "/var/log/app/app.log", 22, SourceFile.numberedLines("app a1", 400), t0, 250),
                new SourceFile("app", "agent-3", "host-3", "/var/log/app/app.log", 33, SourceFile.numberedLines("app a3", 400), t0, 250));
        List<byte[]> traffic = WireTraffic.atLeastOnce(files, 25, new Random(1));
        data.sendAll(topic, traffic, 3);

        SinkConfig cfg = SinkConfig.parse(config(topic, true, ""));
        StreamExecutionEnvironment env = environment(cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        Path out = dir.resolve("out");
        List<String> written = OutputFiles.texts(out, ".zst");
        List<String> expected = WireTraffic.allLines(files);
        assertThat(written).hasSameSizeAs(expected);
        assertThat(written).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(OutputFiles.lines(out, ".zst")).allSatisfy(l ->
                assertThat(l.bucket()).matches("(web|app)/dt=2024-03-05/hour=1[0-1]"));
        assertThat(OutputFiles.lines(out, ".zst")).allSatisfy(l ->
                assertThat(l.bucket()).startsWith(l.text().startsWith("web") ? "web/" : "app/"));

        long linesIn = JobCounters.sum(METRICS, job.getJobID(), "ds_sink_lines_in_total");
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_envelopes_in_total")).isEqualTo(traffic.size());
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_lines_written_total")).isEqualTo(expected.size());
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_lines_duplicate_total")).isEqualTo(linesIn - expected.size()).isPositive();
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_envelopes_corrupt_total")).isZero();

        Path one = OutputFiles.finished(out, ".zst").get(0);
        if (onPath("zstd")) {
            Process p = new ProcessBuilder("zstd", "-t", "-q", one.toString()).redirectErrorStream(true).start();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("zstd -t " + one).isZero();
        }
    }

    @Test
    void bucketsFollowTaskAndEventTimeWithGzipTsvOutputThroughMain() throws Exception {
        String topic = "ds-buckets";
        kafka.createTopic(topic, 2);
        long t0 = Instant.parse("2024-03-05T23:40:00Z").toEpochMilli();
        SourceFile file = new SourceFile("nginx/access", "agent-9", "web-9", "/var/log/nginx/access.log", 99,
                SourceFile.numberedLines("bucket", 600), t0, 5_000);
        int batchLines = 50;
        Map<Long, String> expectedBucketByOffset = new HashMap<>();
        TaskTimeBucketAssigner buckets = new TaskTimeBucketAssigner("'dt='yyyy-MM-dd/'hour='HH", ZoneOffset.UTC);
        List<byte[]> batches = new ArrayList<>();
        for (int from = 0; from < file.lineCount(); from += batchLines) {
            batches.add(file.envelope(from, from + batchLines, CodecType.ZSTD));
            for (int i = from; i < from + batchLines; i++) {
                expectedBucketByOffset.put(file.offset(i), buckets.bucketId("nginx/access", file.eventTime(from)));
            }
        }
        data.sendAll(topic, batches, 2);

        Path yaml = dir.resolve("sink.yaml");
        Files.writeString(yaml, config(topic, true, "  compression: gzip\n  format: tsv"), StandardCharsets.UTF_8);
        SinkJob.main(new String[]{"--config", yaml.toString()}); // as flink run would; bounded: returns when done

        List<OutputFiles.OutputLine> lines = OutputFiles.lines(dir.resolve("out"), ".gz");
        assertThat(lines).hasSize(file.lineCount());
        Map<Long, String> lineByOffset = new HashMap<>();
        for (int i = 0; i < file.lineCount(); i++) {
            lineByOffset.put(file.offset(i), file.line(i));
        }
        for (OutputFiles.OutputLine l : lines) {
            String[] f = l.text().split("\t", 4);
            assertThat(f[0]).isEqualTo("web-9");
            assertThat(f[1]).isEqualTo("/var/log/nginx/access.log");
            long offset = Long.parseLong(f[2]);
            assertThat(f[3]).as("line at offset %d", offset).isEqualTo(lineByOffset.get(offset));
            assertThat(l.bucket()).isEqualTo(expectedBucketByOffset.get(offset));
        }
        assertThat(lines.stream().map(OutputFiles.OutputLine::bucket).distinct().sorted().toList())
                .containsExactly("nginx_access/dt=2024-03-05/hour=23", "nginx_access/dt=2024-03-06/hour=00");
        assertThat(lines.stream().map(l -> l.text().split("\t", 4)[2]).distinct().count()).isEqualTo(file.lineCount());
    }

    @Test
    void aBackfillLandsInTheBucketsOfItsEventTimesAndLinesWithoutATimeInTheReadTimeBucketCounted() throws Exception {
        String topic = "ds-backfill";
        kafka.createTopic(topic, 2);
        long read = Instant.parse("2026-12-03T05:30:00Z").toEpochMilli();
        long fourDaysAgo = read - Duration.ofDays(4).toMillis();
        List<String> content = new ArrayList<>();
        Map<String, String> expectedBucket = new HashMap<>();
        TaskTimeBucketAssigner buckets = new TaskTimeBucketAssigner("'dt='yyyy-MM-dd/'hour='HH", ZoneOffset.UTC);
        int untimed = 0;
        for (int i = 0; i < 400; i++) {
            String line;
            if (i % 5 == 4) {
                line = "\tat com.example.Worker.run(Worker.java:" + i + ")";
                expectedBucket.put(line, buckets.bucketId("backfill", read));
                untimed++;
            } else {
                long t = fourDaysAgo + i * 60_000L; // one line a minute: 400 minutes over 7 hours, 4 days ago
                line = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC)
                        .format(Instant.ofEpochMilli(t)) + " INFO [worker-1] c.e.Worker - item " + i;
                expectedBucket.put(line, buckets.bucketId("backfill", t));
            }
            content.add(line);
        }
        SourceFile file = new SourceFile("backfill", "agent-7", "host-7", "/var/log/app/old.log", 77,
                Map.of(io.datastream.protocol.batch.ReservedHeaders.TIME_FORMAT, "auto"), content, read, 0);
        List<byte[]> batches = new ArrayList<>();
        for (int from = 0; from < content.size(); from += 50) {
            batches.add(file.envelope(from, from + 50, CodecType.ZSTD));
        }
        batches.add(file.envelope(100, 200, CodecType.LZ4)); // a re-send: nothing new, nothing counted as a fallback
        data.sendAll(topic, batches, 2);

        SinkConfig cfg = SinkConfig.parse(config(topic, true, ""));
        StreamExecutionEnvironment env = environment(cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);

        List<OutputFiles.OutputLine> lines = OutputFiles.lines(dir.resolve("out"), ".zst");
        assertThat(lines).extracting(OutputFiles.OutputLine::text).containsExactlyInAnyOrderElementsOf(content);
        for (OutputFiles.OutputLine l : lines) {
            assertThat(l.bucket()).as(l.text()).isEqualTo(expectedBucket.get(l.text()));
        }
        assertThat(lines.stream().map(OutputFiles.OutputLine::bucket).distinct().sorted().toList()).containsExactly(
                "backfill/dt=2026-11-29/hour=05", "backfill/dt=2026-11-29/hour=06", "backfill/dt=2026-11-29/hour=07",
                "backfill/dt=2026-11-29/hour=08", "backfill/dt=2026-11-29/hour=09", "backfill/dt=2026-11-29/hour=10",
                "backfill/dt=2026-11-29/hour=11", "backfill/dt=2026-11-29/hour=12", "backfill/dt=2026-12-03/hour=05");
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_time_fallback_total", "backfill")).isEqualTo(untimed);
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_lines_time_fallback_total")).isEqualTo(untimed);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_written_total", "backfill")).isEqualTo(content.size());
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_total", "backfill")).isEqualTo(100);
    }

    @Test
    void corruptRecordsBecomeCountedDeadLettersAndTheJobGoesOn() throws Exception {
        String topic = "ds-corrupt";
        kafka.createTopic(topic, 1);
        SourceFile file = new SourceFile("app", "agent-5", "host-5", "/var/log/app.log", 5,
                SourceFile.numberedLines("valid", 200), System.currentTimeMillis(), 10);
        Random rnd = new Random(3);
        byte[] garbage = new byte[100];
        rnd.nextBytes(garbage);
        byte[] flipped = file.envelope(0, 10, CodecType.ZSTD);
        flipped[flipped.length - 3] ^= 0x10;
        byte[] truncated = java.util.Arrays.copyOf(file.envelope(10, 20, CodecType.LZ4), 90);
        // lines not yet delivered when it arrives (a wholly delivered batch is dropped without decoding)
        byte[] brokenPayload = TamperedEnvelopes.withBrokenPayload(file.envelope(100, 110, CodecType.ZSTD));
        Map<Long, byte[]> corruptByOffset = new HashMap<>();
        Map<Long, String> stageByOffset = new HashMap<>();
        for (int from = 0; from < 200; from += 25) {
            data.send(topic, 0, file.envelope(from, from + 25, CodecType.ZSTD));
            if (from == 50) {
                for (byte[] bad : new byte[][]{garbage, flipped, truncated, null, brokenPayload}) {
                    RecordMetadata m = data.send(topic, 0, bad);
                    corruptByOffset.put(m.offset(), bad == null ? new byte[0] : bad);
                    stageByOffset.put(m.offset(), bad == brokenPayload ? "decode" : "parse");
                }
            }
        }

        SinkConfig cfg = SinkConfig.parse(config(topic, false, ""));
        StreamExecutionEnvironment env = environment(cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        try {
            Path out = dir.resolve("out");
            Path dead = dir.resolve("dead");
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                    OutputFiles.texts(out, ".zst").size() >= 200 && OutputFiles.texts(dead, DeadLetters.SUFFIX).size() >= 5);

            assertThat(job.getJobStatus().get()).isEqualTo(JobStatus.RUNNING);
            assertThat(OutputFiles.texts(out, ".zst")).containsExactlyInAnyOrderElementsOf(WireTraffic.allLines(List.of(file)));
            ObjectMapper json = new ObjectMapper();
            List<JsonNode> letters = new ArrayList<>();
            for (String l : OutputFiles.texts(dead, DeadLetters.SUFFIX)) {
                letters.add(json.readTree(l));
            }
            assertThat(letters).hasSize(5);
            for (JsonNode d : letters) {
                long offset = d.get("offset").asLong();
                assertThat(corruptByOffset).containsKey(offset);
                assertThat(d.get("topic").asText()).isEqualTo(topic);
                assertThat(d.get("partition").asInt()).isZero();
                assertThat(d.get("stage").asText()).isEqualTo(stageByOffset.get(offset));
                assertThat(d.get("error").asText()).isNotBlank();
                assertThat(Base64.getDecoder().decode(d.get("value_base64").asText())).isEqualTo(corruptByOffset.get(offset));
            }
            assertThat(OutputFiles.finished(dead, DeadLetters.SUFFIX)).allSatisfy(p ->
                    assertThat(dead.relativize(p.getParent()).toString()).matches("dt=\\d{4}-\\d{2}-\\d{2}"));
            assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_envelopes_corrupt_total")).isEqualTo(5);

            // checkpoints went to job.checkpointDir
            try (var s = Files.walk(dir.resolve("checkpoints"))) {
                assertThat(s.anyMatch(p -> p.getFileName().toString().startsWith("chk-"))).isTrue();
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailureMidStreamIsRestoredFromTheCheckpointWithoutLossOrDuplicates() throws Exception {
        String topic = "ds-failover";
        kafka.createTopic(topic, 2);
        long t0 = System.currentTimeMillis();
        SourceFile a = new SourceFile("app", "agent-1", "host-1", "/var/log/a.log", 1, SourceFile.numberedLines("fail a", 600), t0, 1);
        SourceFile b = new SourceFile("app", "agent-2", "host-2", "/var/log/b.log", 2, SourceFile.numberedLines("fail b", 600), t0, 1);
        Random rnd = new Random(5);
        // phase 1: the first 300 lines of each file, with duplicates
        List<byte[]> phase1 = WireTraffic.atLeastOnce(List.of(WireTraffic.prefix(a, 300), WireTraffic.prefix(b, 300)), 20, rnd);
        data.sendAll(topic, phase1, 2);

        FailOnce.reset();
        SinkConfig cfg = SinkConfig.parse(config(topic, false, ""));
        StreamExecutionEnvironment env = environment(cfg);
        Configuration restart = new Configuration();
        restart.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 3);
        restart.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(200));
        env.configure(restart);
        SinkJob.define(env, cfg, new SinkJob.Stages(s -> s, s -> s.map(new FailOnce()).name("fail once")));
        JobClient job = env.executeAsync(cfg.job().name());
        Path out = dir.resolve("out");
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
                    OutputFiles.texts(out, ".zst").size() >= 600 && FailOnce.CHECKPOINTS.get() > 0);

            // phase 2: the rest, re-sends of phase 1 and overlaps; the job fails once in the middle of it
            FailOnce.ARMED.set(true);
            List<byte[]> phase2 = new ArrayList<>();
            for (int from = 280; from < 600; from += 20) {
                phase2.add(a.envelope(from, Math.min(600, from + 30), CodecType.ZSTD));
                phase2.add(b.envelope(from, Math.min(600, from + 30), CodecType.LZ4));
                phase2.add(a.envelope(from - 100, from - 80, CodecType.NONE));
            }
            data.sendAll(topic, phase2, 2);

            List<String> expected = WireTraffic.allLines(List.of(a, b));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                    FailOnce.FAILED.get() && data.caughtUp(cfg.kafka().groupId(), topic)
                            && OutputFiles.texts(out, ".zst").size() >= expected.size());
            job.stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            job.getJobExecutionResult().get(60, TimeUnit.SECONDS);

            List<String> written = OutputFiles.texts(out, ".zst");
            assertThat(FailOnce.FAILED).isTrue();
            assertThat(JobCounters.jobGauge(METRICS, job.getJobID(), "numRestarts")).as("restarted from the checkpoint").isGreaterThanOrEqualTo(1L);
            assertThat(written).hasSameSizeAs(expected);
            assertThat(written).containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            if (!job.getJobStatus().get().isGloballyTerminalState()) {
                job.cancel().get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /**
     * Between the de-duplication and the file writer: once armed, throws on the third chunk, once.
     * The de-duplication state has then already recorded lines that no file holds; the restore
     * from the last checkpoint must roll both back together.
     */
    static final class FailOnce implements MapFunction<OutputChunk, OutputChunk>, CheckpointListener {
        private static final long serialVersionUID = 1L;
        static final AtomicBoolean ARMED = new AtomicBoolean();
        static final AtomicBoolean FAILED = new AtomicBoolean();
        static final AtomicInteger SEEN = new AtomicInteger();
        static final AtomicInteger CHECKPOINTS = new AtomicInteger();

        static void reset() {
            ARMED.set(false);
            FAILED.set(false);
            SEEN.set(0);
            CHECKPOINTS.set(0);
        }

        @Override
        public OutputChunk map(OutputChunk chunk) {
            if (ARMED.get() && !FAILED.get() && SEEN.incrementAndGet() >= 3) {
                FAILED.set(true);
                throw new IllegalStateException("injected failure after " + SEEN.get() + " chunks");
            }
            return chunk;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTS.incrementAndGet();
        }
    }
}
