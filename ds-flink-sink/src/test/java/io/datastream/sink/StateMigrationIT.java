package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.config.SinkConfig;
import io.datastream.sink.golden.GoldenStateV1;
import io.datastream.sink.golden.GoldenStateV2;
import io.datastream.sink.golden.GoldenStateV3;
import io.datastream.sink.golden.GoldenStateV3.Ids;
import io.datastream.sink.testing.JobCounters;
import io.datastream.sink.testing.OutputFiles;
import io.datastream.sink.testing.SourceFile;
import io.datastream.sink.testing.WireTraffic;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job of this release restored from the golden savepoints of every state version, through
 * the production job (Kafka, parser, de-duplication with its production uid, file sink on
 * file://): version 1 (release 0.1, {@code golden/state-v1/}, {@link GoldenStateV1}): what 0.1
 * delivered is still dropped as a duplicate, new lines, the lines in the gaps of its ranges and
 * other tasks' new lines are written, each exactly once; version 2 ({@code golden/state-v2/},
 * {@link GoldenStateV2}): each task's ranges are found again; version 3 ({@code golden/state-v3/},
 * {@link GoldenStateV3}): the client event ids are found again, so a retry through another router
 * is dropped.
 */
class StateMigrationIT extends SinkOnKafka {
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

    @Test
    void aJobRestoredFromTheGoldenStateOfVersionOneDropsWhatItDeliveredAndWritesTheRest() throws Exception {
        Path savepoint = copyGoldenSavepoint(GoldenStateV1.RESOURCE);
        String topic = "ds-migrate";
        kafka.createTopic(topic, PARALLELISM);
        SourceFile web = GoldenStateV1.WEB;
        SourceFile gappy = GoldenStateV1.GAPPY;
        SourceFile otherAgent = GoldenStateV1.OTHER_AGENT;
        SourceFile search = sameFileForTask(web, "search"); // a second task on the file release 0.1 delivered for "web"
        SourceFile fresh = new SourceFile("web", "agent-3", "host-3", "/var/log/nginx/access.log", 0x5EB1L,
                SourceFile.numberedLines("fresh", 20), web.eventTime(0), 1000);
        List<byte[]> traffic = List.of(
                web.envelope(0, 30, CodecType.ZSTD),       // re-send of delivered lines: [0, 30) dropped
                web.envelope(30, 60, CodecType.LZ4),       // [30, 40) dropped, [40, 60) new
                gappy.envelope(0, 40, CodecType.ZSTD),     // [10, 20) and [30, 40) new: the gaps of the v1 ranges
                otherAgent.envelope(0, 30, CodecType.ZSTD), // [15, 30) new
                search.envelope(0, 60, CodecType.ZSTD),    // other task: [0, 40) counts as delivered (v1), [40, 60) new
                fresh.envelope(0, 20, CodecType.NONE));    // a file unknown to v1: all new
        data.sendAll(topic, traffic, PARALLELISM);

        JobClient job = runRestored(savepoint, topic);

        List<String> expectedWeb = new ArrayList<>();
        expectedWeb.addAll(WireTraffic.lines(web, 40, 60));
        expectedWeb.addAll(WireTraffic.lines(gappy, 10, 20));
        expectedWeb.addAll(WireTraffic.lines(gappy, 30, 40));
        expectedWeb.addAll(WireTraffic.lines(otherAgent, 15, 30));
        expectedWeb.addAll(WireTraffic.lines(fresh, 0, 20));
        List<OutputFiles.OutputLine> out = OutputFiles.lines(dir.resolve("out"), ".zst");
        assertThat(out.stream().filter(l -> l.bucket().startsWith("web/")).map(OutputFiles.OutputLine::text))
                .containsExactlyInAnyOrderElementsOf(expectedWeb);
        assertThat(out.stream().filter(l -> l.bucket().startsWith("search/")).map(OutputFiles.OutputLine::text))
                .containsExactlyInAnyOrderElementsOf(WireTraffic.lines(search, 40, 60));
        assertThat(out).hasSize(expectedWeb.size() + 20);

        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_written_total", "web")).isEqualTo(expectedWeb.size());
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_total", "web"))
                .isEqualTo(40 + 20 + 15);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_written_total", "search")).isEqualTo(20);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_total", "search")).isEqualTo(40);
        // those dropped on the version-1 ranges alone are counted apart: all of the second task's; of web's, those
        // before web's first write of a file stored its own ranges (how many depends on the order of its batches)
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_by_v1_state_total", "web"))
                .isBetween(1L, 40L + 20 + 15);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_by_v1_state_total", "search"))
                .isEqualTo(40);
    }

    @Test
    void aJobRestoredFromTheGoldenStateOfVersionTwoKeepsEachTasksRanges() throws Exception {
        Path savepoint = copyGoldenSavepoint(GoldenStateV2.RESOURCE);
        String topic = "ds-restore-v2";
        kafka.createTopic(topic, PARALLELISM);
        SourceFile warehouse = GoldenStateV2.WAREHOUSE;
        SourceFile search = GoldenStateV2.SEARCH;
        SourceFile otherAgent = GoldenStateV2.OTHER_AGENT;
        SourceFile audit = sameFileForTask(warehouse, "audit"); // a task the state has never seen
        data.sendAll(topic, List.of(
                warehouse.envelope(0, 40, CodecType.ZSTD),  // [30, 40) new
                search.envelope(0, 40, CodecType.LZ4),      // [20, 40) new
                otherAgent.envelope(0, 30, CodecType.ZSTD), // [10, 20) and [25, 30) new
                audit.envelope(0, 10, CodecType.ZSTD)), PARALLELISM); // all new
        JobClient job = runRestored(savepoint, topic);

        List<String> expectedWarehouse = new ArrayList<>(WireTraffic.lines(warehouse, 30, 40));
        expectedWarehouse.addAll(WireTraffic.lines(otherAgent, 10, 20));
        expectedWarehouse.addAll(WireTraffic.lines(otherAgent, 25, 30));
        List<OutputFiles.OutputLine> out = OutputFiles.lines(dir.resolve("out"), ".zst");
        assertThat(texts(out, "warehouse/")).containsExactlyInAnyOrderElementsOf(expectedWarehouse);
        assertThat(texts(out, "search/")).containsExactlyInAnyOrderElementsOf(WireTraffic.lines(search, 20, 40));
        assertThat(texts(out, "audit/")).containsExactlyInAnyOrderElementsOf(WireTraffic.lines(audit, 0, 10));
        assertThat(out).hasSize(expectedWarehouse.size() + 20 + 10);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_total", "warehouse")).isEqualTo(30 + 15);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_total", "search")).isEqualTo(20);
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_total", "audit")).isZero();
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_by_v1_state_total", "warehouse")).isZero();
    }

    @Test
    void aJobRestoredFromTheGoldenStateOfVersionThreeKeepsTheClientEventIds() throws Exception {
        Path savepoint = copyGoldenSavepoint(GoldenStateV3.RESOURCE);
        String topic = "ds-restore-v3";
        kafka.createTopic(topic, PARALLELISM);
        // the same clients' events again through another router (another batch stream: new line identities)
        SourceFile retry = GoldenStateV3.events(0xE1D2L, List.of(
                new Ids("app-a", 0, 30),   // e-0..e-19 known: dropped; e-20..e-29 new
                new Ids("app-b", 0, 15),   // e-0..e-9 known: dropped; e-10..e-14 new
                new Ids("app-c", 0, 5),    // a client the state has never seen
                new Ids(null, 0, 10)));    // no ids: new lines by their identity, written again
        data.sendAll(topic, List.of(retry.envelope(0, 30, CodecType.ZSTD), retry.envelope(30, 60, CodecType.LZ4)), PARALLELISM);
        JobClient job = runRestored(savepoint, topic);

        List<String> expected = new ArrayList<>();
        for (int i = 20; i < 30; i++) {
            expected.add(GoldenStateV3.event("app-a", i));
        }
        for (int i = 10; i < 15; i++) {
            expected.add(GoldenStateV3.event("app-b", i));
        }
        for (int i = 0; i < 5; i++) {
            expected.add(GoldenStateV3.event("app-c", i));
        }
        for (int i = 0; i < 10; i++) {
            expected.add(GoldenStateV3.event(null, i));
        }
        List<OutputFiles.OutputLine> out = OutputFiles.lines(dir.resolve("out"), ".zst");
        assertThat(texts(out, GoldenStateV3.TASK + "/")).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(out).hasSize(expected.size());
        assertThat(JobCounters.sumForTask(METRICS, job.getJobID(), "ds_sink_task_lines_duplicate_event_id_total", GoldenStateV3.TASK))
                .isEqualTo(20 + 10);
    }

    private static List<String> texts(List<OutputFiles.OutputLine> out, String bucketPrefix) {
        return out.stream().filter(l -> l.bucket().startsWith(bucketPrefix)).map(OutputFiles.OutputLine::text).toList();
    }

    /** The production job (bounded) restored from {@code savepoint}, run to its end on {@code topic}. */
    private JobClient runRestored(Path savepoint, String topic) throws Exception {
        SinkConfig cfg = SinkConfig.parse(String.join("\n",
                "kafka:",
                "  bootstrapServers: " + kafka.bootstrapServers(),
                "  topics: [" + topic + "]",
                "  groupId: group-" + topic,
                "  bounded: true",
                "output:",
                "  path: " + dir.resolve("out").toUri(),
                "deadLetter:",
                "  path: " + dir.resolve("dead").toUri(),
                "dedup:",
                "  ttl: 36500d", // the TTL clock is wall time: the golden state must not expire while this test lives
                "  eventIdTtl: 36500d",
                "job:",
                "  parallelism: " + PARALLELISM,
                "  checkpointInterval: 500ms",
                ""));
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint.toUri().toString());
        restore.set(StateRecoveryOptions.SAVEPOINT_IGNORE_UNCLAIMED_STATE, true); // the generator's source
        env.configure(restore);
        SinkJob.configureEnvironment(env, cfg);
        SinkJob.define(env, cfg);
        JobClient job = env.executeAsync(cfg.job().name());
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
        return job;
    }

    private Path copyGoldenSavepoint(String resource) throws Exception {
        Path target = Files.createDirectories(dir.resolve("golden"));
        try (InputStream in = getClass().getResourceAsStream(resource + "/_metadata")) {
            assertThat(in).as("golden savepoint on the classpath").isNotNull();
            Files.copy(in, target.resolve("_metadata"));
        }
        return target;
    }

    private static SourceFile sameFileForTask(SourceFile f, String task) {
        List<String> content = new ArrayList<>();
        for (int i = 0; i < f.lineCount(); i++) {
            content.add(f.line(i));
        }
        return new SourceFile(task, f.source().agentId(), f.source().host(), f.source().path(), f.source().fingerprint(),
                content, f.eventTime(0), 1000);
    }
}
