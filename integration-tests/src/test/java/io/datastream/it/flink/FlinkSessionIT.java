package io.datastream.it.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.datastream.deploy.flink.FlinkRest;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Feed;
import io.datastream.it.support.JvmProcess;
import io.datastream.it.support.MiniHdfs;
import io.datastream.it.support.LogFiles;
import io.datastream.testkit.kafka.TopicTally;
import io.datastream.testkit.net.FreePorts;
import io.datastream.testkit.output.CommittedOutput;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink job on a Flink session cluster (JobManager and TaskManager as separate JVMs, see
 * {@link FlinkSessionCluster}), submitted by {@code ds sink --submit} through the JobManager's
 * REST API, with an agent and a router (separate JVMs, {@link Feed}) writing a real Kafka broker,
 * and its checkpoints on HDFS ({@link MiniHdfs}, its own process; the Flink processes have the
 * Hadoop client on their class path, as {@code HADOOP_CLASSPATH} puts it there on a real cluster).
 * Mid-stream the TaskManager is killed with kill -9 and a new one started: the job restarts from
 * its last checkpoint, and every line written is committed exactly once. Prints how long the job
 * took to start and to recover (numbers, not assertions).
 */
class FlinkSessionIT {
    private static final String GROUP = "ds-flink-sink";
    private static final Pattern SUBMITTED = Pattern.compile("sink job ([0-9a-f]{32}) submitted to ");

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private FlinkSessionCluster flink;

    @AfterEach
    void tearDown() {
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
    void taskManagerKilledMidStreamJobRestartsFromItsCheckpointOnHdfsExactlyOnce(@TempDir Path dir) throws Exception {
        // HDFS (a NameNode and one DataNode, its own process) for the job's checkpoints
        MiniHdfs hdfs = track(MiniHdfs.start(dir.resolve("hdfs")));
        String checkpoints = hdfs.uri() + "/flink/checkpoints/ds-sink";

        EmbeddedKafka kafka = track(EmbeddedKafka.builder().port(FreePorts.next()).controllerPort(FreePorts.next())
                .logDir(dir.resolve("kafka")).defaultPartitions(2).build().start());
        Feed feed = track(Feed.start(dir, kafka, "app"));

        // the session cluster: a JobManager and one TaskManager with two slots
        flink = track(FlinkSessionCluster.startJobManager(dir.resolve("flink"), Map.of(
                "heartbeat.interval", "2000", "heartbeat.timeout", "10000",
                "flink.hadoop.dfs.replication", "1"), hdfs.classpath()));
        JvmProcess tm1 = flink.startTaskManager();
        flink.awaitTaskManagers(1);
        FlinkRest rest = flink.rest();

        Path out = dir.resolve("out");
        Path sinkYaml = Files.writeString(dir.resolve("conf/sink.yaml"), "kafka:\n"
                + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                + "  topicPattern: \"ds-.*\"\n"
                + "  groupId: " + GROUP + "\n"
                + "output:\n  path: \"" + out.toUri() + "\"\n"
                + "deadLetter:\n  path: \"" + dir.resolve("dead-letters").toUri() + "\"\n"
                + "job:\n  checkpointInterval: 2s\n  checkpointDir: \"" + checkpoints + "\"\n", StandardCharsets.UTF_8);

        // ds sink --submit: upload the job jar, run it; the process prints the job id and exits
        long submitted = System.nanoTime();
        DsProcess submit = DsProcess.start("submit", dir.resolve("console/submit.log"), "256m", List.of("sink",
                "--config", sinkYaml.toString(), "--submit", flink.restAddress(),
                "--job-jar", FlinkSessionCluster.sinkJobJar().toString()));
        await("ds sink --submit exits").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> !submit.isAlive());
        Matcher m = SUBMITTED.matcher(submit.console());
        assertThat(m.find()).as("ds sink --submit printed the job id:\n" + submit.console() + "\n" + flink.logs()).isTrue();
        String job = m.group(1);
        long submitMs = millisSince(submitted);
        awaitOrReport("all tasks of the job running", Duration.ofMinutes(2), () -> rest.allTasksRunning(job));
        long runningMs = millisSince(submitted);

        try (LogFiles logs = new LogFiles(feed.logs(), feed.task(), 10)) {
            logs.startWriting(50, Integer.MAX_VALUE, round -> logs.append(round % 10, 20));
            awaitOrReport("some output committed", Duration.ofMinutes(2), () -> !CommittedOutput.lines(out).isEmpty());
            long firstFileMs = millisSince(submitted);
            awaitOrReport("two checkpoints completed", Duration.ofMinutes(2), () -> rest.completedCheckpoints(job) >= 2);

            // kill -9 the TaskManager while lines flow, then start a new one, as a supervisor would
            List<String> committedAtKill = CommittedOutput.lines(out);
            long killed = System.nanoTime();
            tm1.kill();
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

            feed.awaitAcked(written.size());
            awaitOrReport("the sink commits every line", Duration.ofMinutes(4),
                    () -> CommittedOutput.lines(out).size() >= written.size() && feed.caughtUp(GROUP));
            List<String> committed = CommittedOutput.lines(out);
            TopicTally tally = TopicTally.read(kafka.bootstrapServers(), feed.topic(), Duration.ofMinutes(1));
            System.out.printf("[flink-session] job %s: submit (upload + run) %d ms; all tasks running %d ms and first committed file %d ms"
                    + " after the submit started; TaskManager kill -9 -> failover seen %d ms, all tasks running on the new"
                    + " TaskManager %d ms, first checkpoint after the restart %d ms (heartbeat.interval 2 s, timeout 10 s)%n",
                    job, submitMs, runningMs, firstFileMs, failedOverMs, runningAgainMs, recoveredMs);
            assertThat(rest.jobState(job)).isEqualTo("RUNNING");
            assertThat(rest.latestCheckpoint(job)).as("the job's checkpoints are on HDFS").startsWith(checkpoints + "/" + job + "/chk-");
            assertThat(committed).as("what was committed before the kill stays").containsAll(committedAtKill);
            feed.tiers("flink-session-tm-kill")
                    .count("flink.checkpoints", rest.completedCheckpoints(job))
                    .count("flink.failures", rest.failures(job))
                    .reconcile(written, tally, committed, false);
            rest.cancel(job);
        }
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
