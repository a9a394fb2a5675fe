package io.datastream.it.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Feed;
import io.datastream.it.support.LogFiles;
import io.datastream.it.support.MiniHdfs;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.net.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ds sink} (a MiniCluster in its own process, as users run it) with output, dead letters
 * and checkpoints on {@code hdfs://} of {@link MiniHdfs}: its class path is the launcher's (which
 * holds {@code flink-hadoop-fs}) with the Hadoop client appended, as {@code bin/ds} appends
 * {@code HADOOP_CLASSPATH}. A router and an agent write the topic; every line written is in the
 * committed part files on HDFS exactly once.
 */
class DsSinkOnHdfsIT {

    @Test
    void dsSinkWritesItsOutputAndCheckpointsToHdfs(@TempDir Path dir) throws Exception {
        try (MiniHdfs hdfs = MiniHdfs.start(dir.resolve("hdfs"));
             EmbeddedKafka kafka = EmbeddedKafka.builder().port(FreePorts.next()).controllerPort(FreePorts.next())
                .logDir(dir.resolve("kafka")).defaultPartitions(2).build().start();
             Feed feed = Feed.start(dir, kafka, "web")) {
            String nn = hdfs.uri();
            Path sinkYaml = Files.writeString(dir.resolve("conf/sink.yaml"), "kafka:\n"
                    + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                    + "  topicPattern: \"ds-.*\"\n"
                    + "output:\n  path: \"" + nn + "/datastream/logs\"\n"
                    + "deadLetter:\n  path: \"" + nn + "/datastream/dead-letters\"\n"
                    + "job:\n  checkpointInterval: 2s\n  checkpointDir: \"" + nn + "/flink/checkpoints/ds-sink\"\n",
                    StandardCharsets.UTF_8);
            try (DsProcess sink = DsProcess.start("sink", dir.resolve("console/sink.log"), "640m", List.of("sink",
                         "--config", sinkYaml.toString(), "--metrics-port", String.valueOf(FreePorts.next())), hdfs.classpath());
                 LogFiles logs = new LogFiles(feed.logs("web"), "web", 5)) {
                sink.awaitConsole("running", Duration.ofMinutes(2));
                logs.startWriting(50, 60, round -> logs.append(round % 5, 50));
                logs.awaitRounds(Duration.ofMinutes(2));
                List<String> written = logs.written();
                feed.awaitAcked("web", written.size());

                Path mirror = dir.resolve("mirror");
                await("the sink commits every line to HDFS").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            if (!sink.isAlive()) {
                                throw new IllegalStateException("ds sink exited:\n" + sink.tail());
                            }
                            return hdfs.committedLines("/datastream/logs", mirror).size() >= written.size()
                                    && feed.caughtUp("ds-flink-sink", "web");
                        });
                List<String> committed = hdfs.committedLines("/datastream/logs", mirror);
                TopicTally tally = TopicTally.read(kafka.bootstrapServers(), Feed.topic("web"), Duration.ofMinutes(1));
                assertThat(hdfs.list("/flink/checkpoints/ds-sink")).as("the job's checkpoint directory on HDFS").isNotEmpty();
                feed.tiers("web", "ds-sink-hdfs").reconcile(written, tally, committed, false);
            }
        }
    }
}
