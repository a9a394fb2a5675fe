package io.datastream.it.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Feed;
import io.datastream.it.support.LogFiles;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.net.FreePorts;
import io.datastream.testkit.output.CommittedOutput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DFSConfigKeys;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ds sink} (a MiniCluster in its own process, as users run it) with output, dead letters
 * and checkpoints on {@code hdfs://}: its class path holds {@code flink-hadoop-fs} (in the
 * launcher's lib/) and the Hadoop client (here from the test class path; users set
 * {@code HADOOP_CLASSPATH}). A router and an agent write the topic; every line written is in the
 * committed part files on HDFS exactly once.
 */
class DsSinkOnHdfsIT {

    @Test
    void dsSinkWritesItsOutputAndCheckpointsToHdfs(@TempDir Path dir) throws Exception {
        org.apache.hadoop.conf.Configuration hconf = new HdfsConfiguration();
        hconf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        hconf.setInt(DFSConfigKeys.DFS_REPLICATION_KEY, 1);
        MiniDFSCluster hdfs = new MiniDFSCluster.Builder(hconf).numDataNodes(1).build();
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().port(FreePorts.next()).controllerPort(FreePorts.next())
                .logDir(dir.resolve("kafka")).defaultPartitions(2).build().start();
             Feed feed = Feed.start(dir, kafka, "web")) {
            hdfs.waitActive();
            String nn = "hdfs://localhost:" + hdfs.getNameNodePort();
            Path sinkYaml = Files.writeString(dir.resolve("conf/sink.yaml"), "kafka:\n"
                    + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                    + "  topicPattern: \"ds-.*\"\n"
                    + "output:\n  path: \"" + nn + "/datastream/logs\"\n"
                    + "deadLetter:\n  path: \"" + nn + "/datastream/dead-letters\"\n"
                    + "job:\n  checkpointInterval: 2s\n  checkpointDir: \"" + nn + "/flink/checkpoints/ds-sink\"\n",
                    StandardCharsets.UTF_8);
            try (DsProcess sink = DsProcess.start("sink", dir.resolve("console/sink.log"), "640m", List.of("sink",
                         "--config", sinkYaml.toString(), "--metrics-port", String.valueOf(FreePorts.next())));
                 LogFiles logs = new LogFiles(feed.logs(), feed.task(), 5)) {
                sink.awaitConsole("running", Duration.ofMinutes(2));
                logs.startWriting(50, 60, round -> logs.append(round % 5, 50));
                logs.awaitRounds(Duration.ofMinutes(2));
                List<String> written = logs.written();
                feed.awaitAcked(written.size());

                FileSystem fs = hdfs.getFileSystem();
                org.apache.hadoop.fs.Path output = new org.apache.hadoop.fs.Path("/datastream/logs");
                Path copy = dir.resolve("copy");
                await("the sink commits every line to HDFS").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            if (!sink.isAlive()) {
                                throw new IllegalStateException("ds sink exited:\n" + sink.tail());
                            }
                            return committedOnHdfs(fs, output, copy).size() >= written.size() && feed.caughtUp("ds-flink-sink");
                        });
                List<String> committed = committedOnHdfs(fs, output, copy);
                TopicTally tally = TopicTally.read(kafka.bootstrapServers(), feed.topic(), Duration.ofMinutes(1));
                assertThat(fs.listStatus(new org.apache.hadoop.fs.Path("/flink/checkpoints/ds-sink")))
                        .as("the job's checkpoint directory on HDFS").isNotEmpty();
                feed.tiers("ds-sink-hdfs").reconcile(written, tally, committed, false);
            }
        } finally {
            hdfs.shutdown();
        }
    }

    /** The committed lines under {@code dir} on HDFS: copied to a fresh local directory and read like local output. */
    private static List<String> committedOnHdfs(FileSystem fs, org.apache.hadoop.fs.Path dir, Path copy) {
        try {
            if (!fs.exists(dir)) {
                return List.of();
            }
            if (Files.exists(copy)) {
                try (var walk = Files.walk(copy)) {
                    for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            fs.copyToLocalFile(false, dir, new org.apache.hadoop.fs.Path(copy.toUri()), true);
            return CommittedOutput.lines(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
