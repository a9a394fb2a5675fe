package io.datastream.it.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.datastream.deploy.flink.FlinkRest;
import io.datastream.embedded.zk.EmbeddedZooKeeper;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Feed;
import io.datastream.it.support.JvmProcess;
import io.datastream.it.support.LogFiles;
import io.datastream.it.support.HdfsCluster;
import io.datastream.it.support.KafkaTrio;
import io.datastream.testkit.kafka.TopicTally;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * The sink job on a Flink session cluster (JobManager and TaskManager as separate JVMs, see
 * {@link FlinkSessionCluster}) with ZooKeeper high availability (a real ZooKeeper in the test JVM,
 * the HA storage on HDFS), submitted once by {@code ds sink --submit} through the JobManager's REST
 * API, with an agent and a router (separate JVMs, {@link Feed}) writing a Kafka cluster of three
 * nodes ({@link KafkaTrio}: three replicas, {@code min.insync.replicas=2}), and its output and
 * checkpoints on HDFS ({@link HdfsCluster}: a NameNode and two DataNodes, each its own process,
 * replication 2; the Flink processes have the Hadoop client on their class path, as
 * {@code HADOOP_CLASSPATH} puts it there on a real cluster). Each scenario has its own task (topic,
 * output directory) on the one job: mid-stream the TaskManager is killed with kill -9 and a new one
 * started; the JobManager is killed with kill -9 and started again; the Kafka node leading a
 * partition is killed; a DataNode is killed; the NameNode is killed and started again. Each time
 * every line written is committed exactly once. Prints how long the job took to start and to
 * recover (numbers, not assertions).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlinkSessionIT {
    private static final String GROUP = "ds-flink-sink";
    private static final String OUT = "/datastream/logs";
    private static final Pattern SUBMITTED = Pattern.compile("sink job ([0-9a-f]{32}) submitted to ");

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FlinkSessionCluster flink;
    private FlinkRest rest;
    private KafkaTrio kafka;
    private HdfsCluster hdfs;
    private Feed feed;
    private Path dir;
    private String checkpoints;
    private String job;

    @BeforeAll
    void startClusterAndSubmit(@TempDir Path tmp) throws Exception {
        dir = tmp;
        // HDFS (a NameNode and two DataNodes, each its own process, replication 2) for the output, the checkpoints and the HA storage
        hdfs = track(HdfsCluster.start(dir.resolve("hdfs"), 2));
        checkpoints = hdfs.uri() + "/flink/checkpoints/ds-sink";
        EmbeddedZooKeeper zk = track(EmbeddedZooKeeper.start(0, dir.resolve("zookeeper")));

        // three Kafka nodes, topics with three replicas and min.insync.replicas=2
        kafka = track(KafkaTrio.start(dir));
        feed = track(Feed.start(dir, kafka, "tmkill", "jmkill", "kafkakill", "dnkill", "nnkill"));

        // the session cluster: a JobManager and one TaskManager with two slots, ZooKeeper HA
        flink = track(FlinkSessionCluster.startJobManager(dir.resolve("flink"), Map.of(
                "heartbeat.interval", "2000", "heartbeat.timeout", "10000",
                "high-availability.type", "zookeeper",
                "high-availability.zookeeper.quorum", zk.connectString(),
                "high-availability.zookeeper.path.root", "/flink",
                "high-availability.cluster-id", "/ds-session",
                "high-availability.storageDir", hdfs.uri() + "/flink/ha",
                "high-availability.zookeeper.client.session-timeout", "10000"), hdfs.clientClasspath()));
        flink.startTaskManager();
        flink.awaitTaskManagers(1);
        rest = flink.rest();

        Path sinkYaml = Files.writeString(dir.resolve("conf/sink.yaml"), "kafka:\n"
                + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                + "  topicPattern: \"ds-.*\"\n"
                + "  groupId: " + GROUP + "\n"
                + "output:\n  path: \"" + hdfs.uri() + OUT + "\"\n"
                + "deadLetter:\n  path: \"" + hdfs.uri() + "/datastream/dead-letters\"\n"
                + "job:\n  checkpointInterval: 2s\n  checkpointDir: \"" + checkpoints + "\"\n", StandardCharsets.UTF_8);

        // ds sink --submit: upload the job jar, run it; the process prints the job id and exits
        long submitted = System.nanoTime();
        DsProcess submit = DsProcess.start("submit", dir.resolve("console/submit.log"), "256m", List.of("sink",
                "--config", sinkYaml.toString(), "--submit", flink.restAddress(),
                "--job-jar", FlinkSessionCluster.sinkJobJar().toString()));
        await("ds sink --submit exits").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> !submit.isAlive());
        Matcher m = SUBMITTED.matcher(submit.console());
        assertThat(m.find()).as("ds sink --submit printed the job id:\n" + submit.console() + "\n" + flink.logs()).isTrue();
        job = m.group(1);
        long submitMs = millisSince(submitted);
        awaitOrReport("all tasks of the job running", Duration.ofMinutes(2), () -> rest.allTasksRunning(job));
        System.out.printf("[flink-session] job %s: submit (upload + run) %d ms; all tasks running %d ms after the submit started%n",
                job, submitMs, millisSince(submitted));
    }

    @AfterAll
    void tearDown() {
        if (rest != null && job != null) {
            try {
                rest.cancel(job);
            } catch (IOException e) {
                System.err.println("cancelling " + job + ": " + e);
            }
        }
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
    void taskManagerKilledMidStreamJobRestartsFromItsCheckpointOnHdfsExactlyOnce() throws Exception {
        String task = "tmkill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 10)) {
            long started = System.nanoTime();
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitOrReport("some output committed", Duration.ofMinutes(2), () -> !committed(task).isEmpty());
            long firstFileMs = millisSince(started);
            long checkpointsBefore = rest.completedCheckpoints(job);
            awaitOrReport("two more checkpoints completed", Duration.ofMinutes(2),
                    () -> rest.completedCheckpoints(job) >= checkpointsBefore + 2);

            // kill -9 the TaskManager while lines flow, then start a new one, as a supervisor would
            JvmProcess tm = flink.taskManagers().get(flink.taskManagers().size() - 1);
            List<String> committedAtKill = committedNow(task);
            long killed = System.nanoTime();
            tm.kill();
            long checkpointsAtKill = rest.completedCheckpoints(job);
            int failuresAtKill = rest.failures(job);
            flink.startTaskManager();
            awaitOrReport("the job failed over", Duration.ofMinutes(2), () -> rest.failures(job) > failuresAtKill);
            long failedOverMs = millisSince(killed);
            awaitOrReport("the job running again", Duration.ofMinutes(3), () -> rest.allTasksRunning(job));
            long runningAgainMs = millisSince(killed);
            awaitOrReport("a checkpoint completed after the restart", Duration.ofMinutes(3),
                    () -> rest.completedCheckpoints(job) > checkpointsAtKill);
            long recoveredMs = millisSince(killed);
            logs.awaitMoreWritten(2_000);
            logs.stopWriting();
            List<String> written = logs.written();

            List<String> committed = awaitCommitted(task, written);
            TopicTally tally = tally(task);
            System.out.printf("[flink-session] first committed file %d ms after the writing started; TaskManager kill -9 ->"
                    + " failover seen %d ms, all tasks running on the new TaskManager %d ms, first checkpoint after the restart"
                    + " %d ms (heartbeat.interval 2 s, timeout 10 s)%n", firstFileMs, failedOverMs, runningAgainMs, recoveredMs);
            assertThat(rest.jobState(job)).isEqualTo("RUNNING");
            assertThat(rest.latestCheckpoint(job)).as("the job's checkpoints are on HDFS").startsWith(checkpoints + "/" + job + "/chk-");
            assertThat(committed).as("what was committed before the kill stays").containsAll(committedAtKill);
            feed.tiers(task, "flink-session-tm-kill")
                    .count("flink.checkpoints", rest.completedCheckpoints(job))
                    .count("flink.failures", rest.failures(job))
                    .reconcile(written, tally, committed, false);
        }
    }

    /**
     * kill -9 of the JobManager mid-stream, and a new one started with the same configuration: it
     * takes the job back from ZooKeeper (its graph in the HA storage on HDFS) and resumes it from
     * the latest completed checkpoint, with the TaskManager that ran on.
     */
    @Test
    @Order(2)
    void jobManagerKilledAndRestartedRecoversTheJobFromZooKeeperExactlyOnce() throws Exception {
        String task = "jmkill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitOrReport("some output committed", Duration.ofMinutes(2), () -> !committed(task).isEmpty());
            long checkpointsBefore = rest.completedCheckpoints(job);
            awaitOrReport("two more checkpoints completed", Duration.ofMinutes(2),
                    () -> rest.completedCheckpoints(job) >= checkpointsBefore + 2);

            List<String> committedAtKill = committedNow(task);
            long lastIdBeforeKill = rest.checkpoints(job).path("latest").path("completed").path("id").asLong();
            long killed = System.nanoTime();
            flink.killJobManager();
            logs.awaitMoreWritten(500);
            flink.restartJobManager();
            long restUpMs = millisSince(killed);
            awaitOrReport("the new JobManager knows the job", Duration.ofMinutes(2), () -> {
                rest.job(job);
                return true;
            });
            long jobKnownMs = millisSince(killed);
            awaitOrReport("the job running again", Duration.ofMinutes(3), () -> rest.allTasksRunning(job));
            long runningAgainMs = millisSince(killed);
            awaitOrReport("a checkpoint completed under the new JobManager", Duration.ofMinutes(3),
                    () -> rest.completedCheckpoints(job) > 0);
            long recoveredMs = millisSince(killed);
            JsonNode restored = rest.checkpoints(job).path("latest").path("restored");
            logs.awaitMoreWritten(2_000);
            logs.stopWriting();
            List<String> written = logs.written();

            List<String> committed = awaitCommitted(task, written);
            TopicTally tally = tally(task);
            System.out.printf("[flink-session] JobManager kill -9 and restart -> REST up %d ms, job known %d ms, all tasks running"
                    + " %d ms, first checkpoint %d ms; restored checkpoint %s (latest before the kill: %d)%n",
                    restUpMs, jobKnownMs, runningAgainMs, recoveredMs, restored.path("id").asText(), lastIdBeforeKill);
            assertThat(restored.path("id").asLong()).as("the job resumed from the latest checkpoint completed before the kill")
                    .isGreaterThanOrEqualTo(lastIdBeforeKill);
            assertThat(restored.path("external_path").asText()).as("restored from HDFS").startsWith(checkpoints + "/" + job + "/chk-");
            assertThat(rest.jobState(job)).isEqualTo("RUNNING");
            assertThat(committed).as("what was committed before the kill stays").containsAll(committedAtKill);
            feed.tiers(task, "flink-session-jm-kill")
                    .count("flink.restoredCheckpoint", restored.path("id").asLong())
                    .count("flink.checkpointsSinceRestart", rest.completedCheckpoints(job))
                    .reconcile(written, tally, committed, false);
        }
    }

    /**
     * kill -9 of the Kafka node leading partition 0 of the task's topic while the job reads it:
     * another node leads it, the router's writes and the job's reads go on, the node is started
     * again.
     */
    @Test
    @Order(3)
    void kafkaPartitionLeaderKilledUnderTheJobExactlyOnce() throws Exception {
        String task = "kafkakill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitOrReport("some output committed", Duration.ofMinutes(2), () -> !committed(task).isEmpty());
            int leader = kafka.leaderOf(Feed.topic(task), 0);
            kafka.kill(leader);
            int committedAtKill = committedNow(task).size();
            long killed = System.nanoTime();
            awaitOrReport("the job commits more lines with a Kafka node down", Duration.ofMinutes(2),
                    () -> committed(task).size() > committedAtKill + 1_000);
            long committingMs = millisSince(killed);
            // the controllers fence the dead node after its broker session times out (longer when it was also the active controller)
            awaitOrReport("another node leads partition 0", Duration.ofMinutes(2), () -> {
                try {
                    return kafka.leaderOf(Feed.topic(task), 0) != leader;
                } catch (IllegalStateException noLeaderYet) {
                    return false;
                }
            });
            long newLeaderMs = millisSince(killed);
            int newLeader = kafka.leaderOf(Feed.topic(task), 0);
            kafka.restart(leader);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            System.out.printf("[flink-session] Kafka node %d (leader of partition 0) kill -9: more than 1,000 further lines committed"
                    + " %d ms after the kill, node %d leads the partition after %d ms%n", leader, committingMs, newLeader, newLeaderMs);
            feed.tiers(task, "flink-session-kafka-leader-kill").count("kafka.killedLeader", leader).count("kafka.newLeader", newLeader)
                    .reconcile(written, tally(task), committed, true);
        }
    }

    /**
     * kill -9 of one of the two DataNodes while the job writes its part files, checkpoints and HA
     * data (replication 2); started again once the NameNode has declared it dead.
     */
    @Test
    @Order(4)
    void dataNodeKilledUnderTheJobExactlyOnce() throws Exception {
        String task = "dnkill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitOrReport("some output committed", Duration.ofMinutes(2), () -> !committed(task).isEmpty());
            int committedAtKill = committedNow(task).size();
            long failuresAtKill = rest.failures(job);
            long killed = System.nanoTime();
            hdfs.killDataNode(2);
            awaitOrReport("the job commits more lines with one DataNode", Duration.ofMinutes(2),
                    () -> committed(task).size() > committedAtKill + 1_000);
            long committingMs = millisSince(killed);
            hdfs.awaitDeadDataNodes(1);
            hdfs.startDataNode(2);
            hdfs.awaitLiveDataNodes(2);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            System.out.printf("[flink-session] DataNode kill -9: more than 1,000 further lines committed %d ms after the kill;"
                    + " job failures meanwhile: %d%n", committingMs, rest.failures(job) - failuresAtKill);
            feed.tiers(task, "flink-session-datanode-kill").count("flink.failuresDuringTheScenario", rest.failures(job) - failuresAtKill)
                    .reconcile(written, tally(task), committed, false);
        }
    }

    /**
     * kill -9 of the NameNode while the job writes (its output, checkpoints and HA data are on
     * HDFS), started again on the same name directory: checkpoints fail and the job restarts until
     * HDFS is back, then resumes from its last checkpoint.
     */
    @Test
    @Order(5)
    void nameNodeKilledAndRestartedUnderTheJobExactlyOnce() throws Exception {
        String task = "nnkill";
        try (LogFiles logs = new LogFiles(feed.logs(task), task, 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitOrReport("some output committed", Duration.ofMinutes(2), () -> !committed(task).isEmpty());
            List<String> committedAtKill = committedNow(task);
            int failuresAtKill = rest.failures(job);
            long killed = System.nanoTime();
            hdfs.killNameNode();
            logs.awaitMoreWritten(1_000);
            hdfs.startNameNode();
            hdfs.awaitOutOfSafeMode();
            long upMs = millisSince(killed);
            awaitOrReport("the job commits again", Duration.ofMinutes(3), () -> committed(task).size() > committedAtKill.size() + 1_000);
            long committingMs = millisSince(killed);
            logs.awaitMoreWritten(1_000);
            logs.stopWriting();
            List<String> written = logs.written();
            List<String> committed = awaitCommitted(task, written);
            System.out.printf("[flink-session] NameNode kill -9 and restart: out of safe mode %d ms after the kill, the job committing"
                    + " again after %d ms; job failures meanwhile: %d%n", upMs, committingMs, rest.failures(job) - failuresAtKill);
            assertThat(rest.jobState(job)).isEqualTo("RUNNING");
            assertThat(committed).as("what was committed before the kill stays").containsAll(committedAtKill);
            feed.tiers(task, "flink-session-namenode-kill").count("flink.failuresDuringTheScenario", rest.failures(job) - failuresAtKill)
                    .reconcile(written, tally(task), committed, false);
        }
    }

    /** Waits until the agent acknowledged every written line and the job committed all of them and consumed the topic to its end. */
    private List<String> awaitCommitted(String task, List<String> written) {
        feed.awaitAcked(task, written.size());
        awaitOrReport("the sink commits every line of " + task, Duration.ofMinutes(4),
                () -> committed(task).size() >= written.size() && feed.caughtUp(GROUP, task));
        return committedNow(task);
    }

    /** The committed lines of {@code task}'s output on HDFS (read through WebHDFS). */
    private List<String> committed(String task) throws IOException {
        return hdfs.committedLines(OUT + "/" + task, dir.resolve("mirror").resolve(task));
    }

    /** {@link #committed}, read again while WebHDFS sends a read to a DataNode that is down. */
    private List<String> committedNow(String task) {
        AtomicReference<List<String>> lines = new AtomicReference<>();
        awaitOrReport("the committed lines of " + task + " readable", Duration.ofMinutes(1), () -> {
            lines.set(committed(task));
            return true;
        });
        return lines.get();
    }

    private TopicTally tally(String task) {
        return TopicTally.read(kafka.bootstrapServers(), Feed.topic(task), Duration.ofMinutes(1));
    }

    private void awaitOrReport(String what, Duration timeout, Callable<Boolean> condition) {
        try {
            await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).ignoreExceptionsInstanceOf(IOException.class).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "\n" + flink.logs(), e);
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
