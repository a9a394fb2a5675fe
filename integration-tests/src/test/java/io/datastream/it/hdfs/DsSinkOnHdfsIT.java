package io.datastream.it.hdfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.it.support.Brokers;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Feed;
import io.datastream.it.support.HdfsCluster;
import io.datastream.it.support.LogFiles;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.net.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ds sink} (a MiniCluster in its own process, as users run it) with output, dead letters
 * and checkpoints on {@code hdfs://} of an {@link HdfsCluster}: a NameNode and two DataNodes, each
 * its own process, replication 2. The sink's class path is the launcher's (which holds
 * {@code flink-hadoop-fs}) with the Hadoop client and its configuration directory appended, as
 * {@code bin/ds} appends {@code HADOOP_CLASSPATH}. A router and an agent write one topic per
 * scenario; each scenario ends with every line written in the committed part files on HDFS
 * exactly once, and the tiers reconciled. Scenarios: no failure; a DataNode killed (kill -9)
 * mid-stream and started again later; the NameNode killed (kill -9) mid-stream and started again;
 * {@code ds sink} itself killed (kill -9) and started again, twice: it resumes from its newest
 * checkpoint on HDFS and deletes the checkpoint directories of runs beyond {@code --retain 1}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DsSinkOnHdfsIT {
    private static final String GROUP = "ds-flink-sink";
    private static final String OUT = "/datastream/logs";

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Path dir;
    private HdfsCluster hdfs;
    private EmbeddedKafka kafka;
    private Feed feed;
    private DsProcess sink;

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        hdfs = track(HdfsCluster.start(dir.resolve("hdfs"), 2));
        kafka = track(EmbeddedKafka.builder().port(FreePorts.next()).controllerPort(FreePorts.next())
                .logDir(dir.resolve("kafka")).defaultPartitions(2).build().start());
        feed = track(Feed.start(dir, Brokers.single(kafka), "web", "dnkill", "nnkill", "sinkkill"));
        String nn = hdfs.uri();
        Path sinkYaml = Files.writeString(dir.resolve("conf/sink.yaml"), "kafka:\n"
                + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                + "  topicPattern: \"ds-.*\"\n"
                + "output:\n  path: \"" + nn + OUT + "\"\n"
                + "deadLetter:\n  path: \"" + nn + "/datastream/dead-letters\"\n"
                + "job:\n  checkpointInterval: 2s\n  checkpointDir: \"" + nn + "/flink/checkpoints/ds-sink\"\n",
                StandardCharsets.UTF_8);
        sink = track(DsProcess.start("sink", dir.resolve("console/sink.log"), "640m", List.of("sink",
                "--config", sinkYaml.toString(), "--metrics-port", String.valueOf(FreePorts.next()), "--retain", "1"),
                hdfs.clientClasspath()));
        sink.awaitConsole("running", Duration.ofMinutes(2));
    }

    @AfterAll
    void stop() {
        Collections.reverse(closeables);
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("closing " + c + ": " + e);
            }
        }
    }

    @Test
    @Order(1)
    void dsSinkWritesItsOutputAndCheckpointsToHdfs() throws Exception {
        String task = "web";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 5)) {
            logs.startWriting(50, 60, round -> logs.append(round % 5, 50));
            logs.awaitRounds(Duration.ofMinutes(2));
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            assertThat(hdfs.list("/flink/checkpoints/ds-sink")).as("the job's checkpoint directory on HDFS").isNotEmpty();
            feed.tiers(task, "ds-sink-hdfs").reconcile(written, tally(task), committed, false);
        }
    }

    /**
     * kill -9 of one of the two DataNodes while the sink writes part files and checkpoints (each
     * block on both): the writers go on with the other one, new files and checkpoints land on
     * it, nothing committed is lost. The DataNode is started again before the end.
     */
    @Test
    @Order(2)
    void dataNodeKilledMidStreamSinkGoesOnExactlyOnce() throws Exception {
        String task = "dnkill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 5)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 5, 20));
            awaitOrReport("some output of " + task + " committed", () -> !committed(task).isEmpty());
            int atKill = committedNow(task).size();
            long killed = System.nanoTime();
            hdfs.killDataNode(2);
            awaitOrReport("the sink commits more lines with one DataNode", () -> committed(task).size() > atKill + 1_000);
            long committingMs = millisSince(killed);
            hdfs.awaitDeadDataNodes(1);
            long declaredDeadMs = millisSince(killed);
            int whileDead = committedNow(task).size();
            awaitOrReport("the sink commits more lines with the DataNode declared dead", () -> committed(task).size() > whileDead + 500);
            hdfs.startDataNode(2);
            hdfs.awaitLiveDataNodes(2);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            System.out.printf("[hdfs] DataNode kill -9: more than 1,000 lines committed %d ms after the kill; declared dead by the"
                    + " NameNode after %d ms%n", committingMs, declaredDeadMs);
            feed.tiers(task, "ds-sink-hdfs-datanode-kill").count("committedAtKill", atKill).reconcile(written, tally(task), committed, false);
        }
    }

    /**
     * kill -9 of the NameNode while the sink writes: its checkpoints fail, the job restarts (and
     * fails again) until the NameNode is back; started again on the same name directory it
     * replays its edit log, leaves safe mode once the DataNodes report, and the job resumes from
     * its last checkpoint on HDFS.
     */
    @Test
    @Order(3)
    void nameNodeKilledAndRestartedMidStreamExactlyOnce() throws Exception {
        String task = "nnkill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 5)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 5, 20));
            awaitOrReport("some output of " + task + " committed", () -> !committed(task).isEmpty());
            List<String> committedAtKill = committedNow(task);
            long killed = System.nanoTime();
            hdfs.killNameNode();
            logs.awaitMoreWritten(1_000);
            hdfs.startNameNode();
            hdfs.awaitOutOfSafeMode();
            long upMs = millisSince(killed);
            awaitOrReport("the sink commits again", () -> committed(task).size() > committedAtKill.size() + 1_000);
            long committingMs = millisSince(killed);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            System.out.printf("[hdfs] NameNode kill -9 and restart: out of safe mode %d ms after the kill, the sink committing"
                    + " again after %d ms%n", upMs, committingMs);
            assertThat(committed).as("what was committed before the kill stays").containsAll(committedAtKill);
            feed.tiers(task, "ds-sink-hdfs-namenode-kill").count("committedAtKill", committedAtKill.size())
                    .reconcile(written, tally(task), committed, false);
        }
    }

    /**
     * kill -9 of {@code ds sink} itself, started again with the same arguments, twice: each start
     * resumes from the newest checkpoint on HDFS (Kafka offsets, de-duplication state, pending part
     * files), and with {@code --retain 1} the second start deletes the first run's checkpoint
     * directory, keeping the one it resumes from.
     */
    @Test
    @Order(4)
    void dsSinkKilledAndRestartedResumesFromItsCheckpointOnHdfsAndPrunesOldRuns() throws Exception {
        String task = "sinkkill";
        String checkpoints = "/flink/checkpoints/ds-sink";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 5)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 5, 20));
            awaitOrReport("some output of " + task + " committed", () -> !committed(task).isEmpty());
            List<String> firstRun = jobDirectories(checkpoints);
            assertThat(firstRun).as("one run so far").hasSize(1);

            List<String> committedAtFirstKill = committedNow(task);
            sink.kill();
            sink.start();
            sink.awaitConsole("running", Duration.ofMinutes(2));
            assertThat(sink.console()).as("resumes from the first run's checkpoint on HDFS")
                    .contains("sink resuming from " + hdfs.uri() + checkpoints + "/" + firstRun.get(0) + "/chk-");
            awaitOrReport("the restarted sink commits", () -> committed(task).size() > committedAtFirstKill.size() + 500);
            List<String> secondRun = new ArrayList<>(jobDirectories(checkpoints));
            secondRun.removeAll(firstRun);
            assertThat(secondRun).as("the second run's job directory").hasSize(1);

            int atSecondKill = committedNow(task).size();
            sink.kill();
            sink.start();
            sink.awaitConsole("running", Duration.ofMinutes(2));
            assertThat(sink.console()).as("resumes from the second run's checkpoint, deletes the first run's directory")
                    .contains("sink resuming from " + hdfs.uri() + checkpoints + "/" + secondRun.get(0) + "/chk-")
                    .contains("sink deleted 1 checkpoint or savepoint directories of earlier runs (--retain 1)");
            assertThat(jobDirectories(checkpoints)).as("job directories after the second restart")
                    .doesNotContain(firstRun.get(0)).contains(secondRun.get(0));
            awaitOrReport("the sink commits after the second restart", () -> committed(task).size() > atSecondKill + 500);
            logs.awaitMoreWritten(500);
            logs.stopWriting();
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            assertThat(committed).as("what was committed before the first kill stays").containsAll(committedAtFirstKill);
            feed.tiers(task, "ds-sink-hdfs-sink-kill").reconcile(written, tally(task), committed, false);
        }
    }

    /** The job directories (32 hex digits) under the checkpoint directory on HDFS. */
    private List<String> jobDirectories(String checkpoints) throws IOException {
        return hdfs.list(checkpoints).stream().filter(n -> n.matches("[0-9a-f]{32}")).toList();
    }

    private List<String> committed(String task) throws IOException {
        return hdfs.committedLines(OUT + "/" + task, dir.resolve("mirror").resolve(task));
    }

    /**
     * {@link #committed}, read again while WebHDFS sends a read to a DataNode that is down (the
     * NameNode lists a killed DataNode's replicas until it declares it dead).
     */
    private List<String> committedNow(String task) {
        AtomicReference<List<String>> lines = new AtomicReference<>();
        await("the committed lines of " + task + " readable").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                    lines.set(committed(task));
                    return true;
                });
        return lines.get();
    }

    private TopicTally tally(String task) {
        return TopicTally.read(kafka.bootstrapServers(), Feed.topic(task), Duration.ofMinutes(1));
    }

    /** Waits until the agent acknowledged every written line and the sink committed all of them and consumed the topic to its end. */
    private List<String> awaitCommitted(String task, List<String> written) throws IOException {
        feed.awaitAcked(task, written.size());
        awaitOrReport("the sink commits every line of " + task + " to HDFS",
                () -> committed(task).size() >= written.size() && feed.caughtUp(GROUP, task));
        return committedNow(task);
    }

    private void awaitOrReport(String what, Callable<Boolean> condition) {
        try {
            await(what).atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!sink.isAlive()) {
                            throw new IllegalStateException("ds sink exited:\n" + sink.tail());
                        }
                        return condition.call();
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n---- ds sink ----\n" + sink.tail() + "\n" + hdfs.logs(), e);
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    private <T extends AutoCloseable> T track(T c) {
        closeables.add(c);
        return c;
    }
}
