package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.config.SinkConfig;
import io.datastream.sink.testing.HdfsFiles;
import io.datastream.sink.testing.JobCounters;
import io.datastream.sink.testing.KafkaTestData;
import io.datastream.sink.testing.OutputFiles;
import io.datastream.sink.testing.SourceFile;
import io.datastream.sink.testing.WireTraffic;
import io.datastream.embedded.kafka.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The job writing to a real HDFS: an in-process MiniDFSCluster (a NameNode and one DataNode on
 * free ports, data under target/), a real Kafka broker (KRaft) and a Flink MiniCluster. Output,
 * dead letters, checkpoints and savepoints all live on {@code hdfs://}; the output is read back
 * through Hadoop's FileSystem API, as a downstream reader would: finished files only.
 */
class HdfsSinkIT {
    private static final int PARALLELISM = 2;
    private static final InMemoryReporter METRICS = InMemoryReporter.createWithRetainedMetrics();

    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(() -> new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1)
            .setNumberSlotsPerTaskManager(PARALLELISM)
            .setConfiguration(flinkConfiguration())
            .build());

    private static MiniDFSCluster hdfs;
    private static FileSystem fs;
    private static HdfsFiles files;
    private static String nameNode;
    private static EmbeddedKafka kafka;
    private static KafkaTestData data;

    /** Hadoop client settings go through Flink's configuration as {@code flink.hadoop.<key>}. */
    private static Configuration flinkConfiguration() {
        Configuration conf = METRICS.addToConfiguration(new Configuration());
        conf.setString("flink.hadoop." + DFSConfigKeys.DFS_REPLICATION_KEY, "1"); // one DataNode
        return conf;
    }

    @BeforeAll
    static void startHdfsAndKafka() throws IOException {
        java.nio.file.Path base = Files.createTempDirectory(java.nio.file.Path.of(System.getProperty("java.io.tmpdir")), "minidfs-");
        org.apache.hadoop.conf.Configuration conf = new HdfsConfiguration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        conf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, 1);
        // NameNode RPC and HTTP and every DataNode port are ephemeral (MiniDFSCluster's defaults)
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        fs = hdfs.getFileSystem();
        files = new HdfsFiles(fs);
        nameNode = "hdfs://localhost:" + hdfs.getNameNodePort();
        kafka = EmbeddedKafka.builder().build().start();
        data = new KafkaTestData(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopHdfsAndKafka() {
        if (data != null) {
            data.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (hdfs != null) {
            hdfs.shutdown(true);
        }
    }

    @BeforeEach
    void emptyHdfs() throws IOException {
        fs.delete(new Path("/ds"), true);
    }

    private static Path out() {
        return new Path("/ds/out");
    }

    private static String config(String topic, boolean bounded, String checkpointInterval) {
        return String.join("\n",
                "kafka:",
                "  bootstrapServers: " + kafka.bootstrapServers(),
                "  topics: [" + topic + "]",
                "  groupId: group-" + topic,
                "  startingOffsets: committed-or-earliest",
                "  bounded: " + bounded,
                "output:",
                "  path: " + nameNode + "/ds/out",
                "deadLetter:",
                "  path: " + nameNode + "/ds/dead-letters",
                "job:",
                "  parallelism: " + PARALLELISM,
                "  checkpointInterval: " + checkpointInterval,
                "  checkpointDir: " + nameNode + "/ds/checkpoints",
                "");
    }

    private static StreamExecutionEnvironment environment(SinkConfig cfg, Configuration extra) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(PARALLELISM);
        env.configure(extra);
        SinkJob.configureEnvironment(env, cfg);
        SinkJob.define(env, cfg);
        return env;
    }

    @Test
    void linesReachHdfsAsFinishedZstdPartFilesEveryLineExactlyOnce() throws Exception {
        String topic = "ds-hdfs";
        kafka.createTopic(topic, 3);
        long t0 = Instant.parse("2024-03-05T10:40:00Z").toEpochMilli();
        List<SourceFile> sources = List.of(
                new SourceFile("web", "agent-1", "host-1", "/var/log/nginx/access.log", 11, SourceFile.numberedLines("web a1", 500), t0, 5_000),
                new SourceFile("app", "agent-2", "host-2", "/var/log/app/app.log", 22, SourceFile.numberedLines("app a2", 500), t0, 5_000));
        List<byte[]> traffic = WireTraffic.atLeastOnce(sources, 25, new Random(11));
        data.sendAll(topic, traffic, 3);

        SinkConfig cfg = SinkConfig.parse(config(topic, true, "500ms"));
        JobClient job = environment(cfg, new Configuration()).executeAsync(cfg.job().name());
        job.getJobExecutionResult().get(120, TimeUnit.SECONDS); // bounded: finishes after its final checkpoint

        List<Path> parts = files.finished(out(), ".zst");
        assertThat(parts).isNotEmpty().allSatisfy(p -> {
            assertThat(p.toUri().getScheme()).isEqualTo("hdfs");
            assertThat(p.getName()).matches("part-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}-\\d+\\.zst");
            assertThat(p.getParent().toUri().getPath()).matches("/ds/out/(web|app)/dt=2024-03-05/hour=1[0-1]");
        });
        List<OutputFiles.OutputLine> lines = files.lines(out(), ".zst");
        List<String> expected = WireTraffic.allLines(sources);
        assertThat(lines).hasSameSizeAs(expected);
        assertThat(lines.stream().map(OutputFiles.OutputLine::text).toList()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lines).allSatisfy(l -> assertThat(l.bucket()).startsWith(l.text().startsWith("web") ? "web/" : "app/"));
        assertThat(files.hidden(out())).as("no in-progress file left after the final checkpoint").isEmpty();

        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_envelopes_in_total")).isEqualTo(traffic.size());
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_lines_written_total")).isEqualTo(expected.size());
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_lines_duplicate_total")).isPositive();
        assertThat(JobCounters.sum(METRICS, job.getJobID(), "ds_sink_envelopes_corrupt_total")).isZero();
    }

    /**
     * Job 1 delivers and commits 600 lines at a checkpoint, then processes 300 more that no
     * checkpoint covers, and is cancelled. Job 2 restores from the checkpoint retained on HDFS while
     * the wire re-sends batches of both phases (same identities, as agents do after a crash) and
     * brings the rest: HDFS ends up with every line exactly once.
     */
    @Test
    void aCancelledJobRestoredFromItsHdfsCheckpointWritesEveryLineExactlyOnce(@InjectMiniCluster MiniCluster cluster) throws Exception {
        String topic = "ds-hdfs-restore";
        kafka.createTopic(topic, 2);
        long t0 = Instant.parse("2024-03-05T12:00:00Z").toEpochMilli();
        SourceFile a = new SourceFile("app", "agent-1", "host-1", "/var/log/a.log", 1, SourceFile.numberedLines("restore a", 600), t0, 1);
        SourceFile b = new SourceFile("app", "agent-2", "host-2", "/var/log/b.log", 2, SourceFile.numberedLines("restore b", 600), t0, 1);

        // job 1: checkpoints only when triggered here, so the cut is known. The periodic interval is a
        // year: Flink fires the first periodic checkpoint at a random time within it (odds of one
        // during this test: about 1 in a million), and checkpointing must be on for the sink.
        SinkConfig cfg1 = SinkConfig.parse(config(topic, false, "365d"));
        JobClient job1 = environment(cfg1, new Configuration()).executeAsync(cfg1.job().name());
        List<byte[]> phase1 = WireTraffic.atLeastOnce(List.of(WireTraffic.prefix(a, 300), WireTraffic.prefix(b, 300)), 20, new Random(5));
        String checkpoint;
        try {
            // phase 1: lines [0, 300) of each file, with duplicates; processed, then checkpointed and committed
            data.sendAll(topic, phase1, 2);
            awaitLinesWritten(job1.getJobID(), 600);
            checkpoint = checkpoint(cluster, job1.getJobID());
            assertThat(checkpoint).startsWith(nameNode + "/ds/checkpoints/" + job1.getJobID() + "/chk-");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    files.texts(out(), ".zst").size() >= 600);

            // phase 2: lines [300, 450), re-sends of phase-1 batches, overlaps; processed, never checkpointed
            List<byte[]> phase2 = new ArrayList<>();
            for (int from = 300; from < 450; from += 25) {
                phase2.add(a.envelope(from, from + 25, CodecType.ZSTD));
                phase2.add(b.envelope(from - 10, from + 25, CodecType.LZ4));
                phase2.add(phase1.get(from / 25));
            }
            data.sendAll(topic, phase2, 2);
            awaitLinesWritten(job1.getJobID(), 900);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                    !files.hidden(out()).isEmpty()); // the writer has in-progress part files open in HDFS

            // the crash: cancel, no savepoint
            job1.cancel().get(60, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(60)).until(() -> job1.getJobStatus().get() == JobStatus.CANCELED);
        } finally {
            cancelIfRunning(job1);
        }
        assertThat(files.texts(out(), ".zst")).as("visible after the crash: what the checkpoint committed, nothing more")
                .containsExactlyInAnyOrderElementsOf(committedLines(a, b, 300));
        Optional<Path> retained = files.latestCheckpoint(new Path("/ds/checkpoints/" + job1.getJobID()));
        assertThat(retained).as("the checkpoint is retained on HDFS after the cancel").isPresent();
        assertThat(fs.makeQualified(retained.get()).toUri().getPath()).isEqualTo(new Path(checkpoint).toUri().getPath());

        // phase 3: what the agents re-send after the crash (phase-1 and phase-2 batches, a whole re-read of b) and the rest
        List<byte[]> phase3 = new ArrayList<>();
        phase3.add(b.envelope(0, 450, CodecType.ZSTD));
        phase3.addAll(phase2Resends(a, b));
        for (int from = 450; from < 600; from += 25) {
            phase3.add(a.envelope(from, from + 25, CodecType.LZ4));
            phase3.add(b.envelope(from, from + 25, CodecType.NONE));
            phase3.add(phase1.get(from / 25));
        }
        data.sendAll(topic, phase3, 2);

        // job 2: restored from the retained checkpoint, as `flink run -s <checkpoint>` would
        SinkConfig cfg2 = SinkConfig.parse(config(topic, false, "500ms"));
        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, fs.makeQualified(retained.get()).toString());
        JobClient job2 = environment(cfg2, restore).executeAsync(cfg2.job().name());
        List<String> expected = WireTraffic.allLines(List.of(a, b));
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).until(() ->
                    data.caughtUp(cfg2.kafka().groupId(), topic) && files.texts(out(), ".zst").size() >= expected.size());
            String savepoint = job2.stopWithSavepoint(false, nameNode + "/ds/savepoints", SavepointFormatType.CANONICAL)
                    .get(60, TimeUnit.SECONDS);
            assertThat(savepoint).startsWith(nameNode + "/ds/savepoints/");
            job2.getJobExecutionResult().get(60, TimeUnit.SECONDS);
        } finally {
            cancelIfRunning(job2);
        }

        List<OutputFiles.OutputLine> lines = files.lines(out(), ".zst");
        assertThat(lines).hasSameSizeAs(expected);
        assertThat(lines.stream().map(OutputFiles.OutputLine::text).toList()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(lines).allSatisfy(l -> assertThat(l.bucket()).isEqualTo("app/dt=2024-03-05/hour=12"));
        // job 2 wrote only what the checkpoint did not cover, and recognised the re-sends from the restored ranges
        assertThat(JobCounters.sum(METRICS, job2.getJobID(), "ds_sink_lines_written_total")).isEqualTo(600);
        assertThat(JobCounters.sum(METRICS, job2.getJobID(), "ds_sink_lines_duplicate_total")).isPositive();
    }

    private static List<String> committedLines(SourceFile a, SourceFile b, int to) {
        List<String> out = new ArrayList<>(WireTraffic.lines(a, 0, to));
        out.addAll(WireTraffic.lines(b, 0, to));
        return out;
    }

    /** Phase-2 batches again, cut differently: the agent re-sends from its last acknowledged offset. */
    private static List<byte[]> phase2Resends(SourceFile a, SourceFile b) {
        List<byte[]> out = new ArrayList<>();
        for (int from = 300; from < 450; from += 50) {
            out.add(a.envelope(from, from + 50, CodecType.NONE));
        }
        out.add(b.envelope(420, 450, CodecType.ZSTD));
        return out;
    }

    private static void awaitLinesWritten(JobID job, long lines) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                JobCounters.sum(METRICS, job, "ds_sink_lines_written_total") >= lines);
        assertThat(JobCounters.sum(METRICS, job, "ds_sink_lines_written_total")).isEqualTo(lines);
    }

    /** Triggers a checkpoint and returns its path once it completed; retried while the job's tasks are still starting. */
    private static String checkpoint(MiniCluster cluster, JobID job) {
        AtomicReference<String> path = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            try {
                path.set(cluster.triggerCheckpoint(job).get(60, TimeUnit.SECONDS));
                return true;
            } catch (ExecutionException e) {
                return false; // declined (e.g. not every task running yet): nothing was checkpointed
            }
        });
        return path.get();
    }

    private static void cancelIfRunning(JobClient job) throws Exception {
        if (!job.getJobStatus().get().isGloballyTerminalState()) {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }
}
