package io.datastream.it.bench;

import static org.awaitility.Awaitility.await;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import io.datastream.it.flink.FlinkSessionCluster;
import io.datastream.it.support.Brokers;
import io.datastream.it.support.DsProcess;
import io.datastream.it.support.Feed;
import io.datastream.it.support.HdfsCluster;
import io.datastream.it.support.JvmProcess;
import io.datastream.testkit.net.FreePorts;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.function.DoubleSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Sink throughput into HDFS: the same job, on the same input, once on a Flink session cluster (a
 * JobManager and one TaskManager with {@code --slots} slots, separate JVMs, {@link FlinkSessionCluster},
 * submitted by {@code ds sink --submit}) and once on the MiniCluster of {@code ds sink} (its own
 * JVM), both at parallelism {@code --slots}, output and checkpoints on an {@link HdfsCluster}
 * (NameNode and one DataNode, their own JVMs). The input is realistic logs (web access, Java
 * application, JSON: ds-embedded's generators) shipped by a real agent and router into one
 * 2-partition topic before either job starts (not timed). Each job has its own consumer group and
 * output directory and reads the whole topic; its time runs from the submission (the moment
 * {@code ds sink} prints "running", or {@code --submit} returns) to the moment its group's
 * committed offsets (committed with each completed checkpoint) reach the topic's end, and again
 * from its first offset commit to that end (the steady part, without the job's start). CPU is the
 * process CPU time (user + system) over the same stretches: the TaskManager's (and, apart, the
 * JobManager's) for the session cluster, the whole {@code ds sink} JVM for the MiniCluster. Every
 * process runs with the JVM's defaults (G1, both JIT compilers) unless {@code --jvm quick}.
 * Prints numbers; asserts nothing.
 */
public final class SessionSinkBench {
    private static final Pattern SUBMITTED = Pattern.compile("sink job ([0-9a-f]{32}) submitted to ");
    private static final String TASK = "bench";

    /** A measured stretch: wall seconds, CPU seconds of the process that runs the tasks and of the JobManager (-1: none apart). */
    private record Window(double seconds, double cpu, double jmCpu) {
    }

    /**
     * One job's run: from the submission to the end of the topic ({@code total}), and from the
     * first offset commit (the first completed checkpoint) to the end ({@code steady}), which
     * covers {@code steadyShare} of the input (its share of the topic's records).
     */
    private record Result(String mode, int slots, Window total, Window steady, double steadyShare) {
    }

    private SessionSinkBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = new LinkedHashMap<>(Map.of("--mb", "256", "--slots", "2", "--checkpoint", "1s",
                "--dir", "target/bench-session", "--jvm", "default"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!opt.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + " (known: " + opt.keySet() + ")");
            }
            opt.put(args[i], args[i + 1]);
        }
        // default: every process on the JVM's defaults (G1, full JIT), as users run them; quick: the suites' options
        System.setProperty("ds.it.jvm", opt.get("--jvm"));
        long mb = Long.parseLong(opt.get("--mb"));
        int slots = Integer.parseInt(opt.get("--slots"));
        Path dir = Path.of(opt.get("--dir")).toAbsolutePath();
        deleteTree(dir);
        Files.createDirectories(dir);
        System.out.println("[bench] " + opt + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");

        try (HdfsCluster hdfs = HdfsCluster.start(dir.resolve("hdfs"), 1);
             EmbeddedKafka kafka = EmbeddedKafka.builder().port(FreePorts.next()).controllerPort(FreePorts.next())
                     .logDir(dir.resolve("kafka")).defaultPartitions(2).build().start()) {
            long[] input;
            long shipStart = System.nanoTime();
            try (Feed feed = Feed.start(dir, Brokers.single(kafka), TASK)) {
                input = writeLogs(feed.logs(TASK), mb << 20);
                awaitShipped(feed, input[0]);
            }
            System.out.printf("[bench] input: %,d lines, %,d bytes of lines, shipped by the agent in %.1f s%n",
                    input[0], input[1], (System.nanoTime() - shipStart) / 1e9);

            Result mini = miniCluster(dir, hdfs, kafka, slots, opt.get("--checkpoint"));
            output(hdfs, "mini", input[1]);
            Result session = sessionCluster(dir, hdfs, kafka, slots, opt.get("--checkpoint"));
            output(hdfs, "session", input[1]);
            System.out.println();
            System.out.println("| job | slots | stretch | time | MB/s of lines | MB/s per slot | CPU-s | CPU-s per GB of lines |");
            System.out.println("|---|---|---|---|---|---|---|---|");
            for (Result r : List.of(mini, session)) {
                row(r, "submit -> end of topic", r.total(), input[1]);
                row(r, String.format("first commit -> end (%.0f%% of the input)", r.steadyShare() * 100), r.steady(),
                        (long) (input[1] * r.steadyShare()));
            }
        }
    }

    /** Prints what the job committed: bytes and files of finished part files, and the ratio to the lines' bytes. */
    private static void output(HdfsCluster hdfs, String mode, long inputBytes) throws IOException {
        long[] out = hdfs.web().committedBytes("/bench/" + mode + "/out");
        System.out.printf("[bench] %s output: %,d bytes in %d part files on HDFS (%.1f:1)%n", mode, out[0], out[1],
                (double) inputBytes / Math.max(1, out[0]));
    }

    private static void row(Result r, String stretch, Window w, long bytes) {
        double mbs = bytes / 1e6 / w.seconds();
        System.out.printf("| %s | %d | %s | %.1f s | %.1f | %.1f | %.1f%s | %.1f |%n", r.mode(), r.slots(), stretch, w.seconds(), mbs,
                mbs / r.slots(), w.cpu(), w.jmCpu() < 0 ? "" : String.format(" (+ JobManager %.1f)", w.jmCpu()), w.cpu() / (bytes / 1e9));
    }

    /** {@code ds sink} with its MiniCluster, parallelism {@code slots}. */
    private static Result miniCluster(Path dir, HdfsCluster hdfs, EmbeddedKafka kafka, int slots, String checkpoint) throws Exception {
        Path yaml = sinkYaml(dir, hdfs, kafka, "mini", checkpoint);
        try (DsProcess sink = DsProcess.start("sink-mini", dir.resolve("console/sink-mini.log"), "1g", List.of("sink",
                "--config", yaml.toString(), "--parallelism", String.valueOf(slots), "--metrics-port", "0"), hdfs.clientClasspath())) {
            sink.awaitConsole("running", Duration.ofMinutes(2));
            long pid = sink.pid();
            Result r = measure(kafka, "bench-mini", "MiniCluster (`ds sink`, one JVM)", slots, () -> cpuSeconds(pid), null);
            System.out.println("[bench] " + r);
            return r;
        }
    }

    /** A session cluster of one JobManager and one TaskManager with {@code slots} slots; {@code ds sink --submit}. */
    private static Result sessionCluster(Path dir, HdfsCluster hdfs, EmbeddedKafka kafka, int slots, String checkpoint) throws Exception {
        Path yaml = sinkYaml(dir, hdfs, kafka, "session", checkpoint);
        try (FlinkSessionCluster flink = FlinkSessionCluster.startJobManager(dir.resolve("flink"), Map.of(
                "taskmanager.numberOfTaskSlots", String.valueOf(slots), "parallelism.default", String.valueOf(slots)),
                hdfs.clientClasspath())) {
            JvmProcess tm = flink.startTaskManager();
            flink.awaitTaskManagers(1);
            DsProcess submit = DsProcess.start("submit", dir.resolve("console/submit.log"), "256m", List.of("sink",
                    "--config", yaml.toString(), "--submit", flink.restAddress(),
                    "--job-jar", FlinkSessionCluster.sinkJobJar().toString()));
            await("ds sink --submit exits").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(50)).until(() -> !submit.isAlive());
            Matcher m = SUBMITTED.matcher(submit.console());
            if (!m.find()) {
                throw new IllegalStateException("ds sink --submit failed:\n" + submit.console() + "\n" + flink.logs());
            }
            long jm = flink.jobManager().pid();
            Result r = measure(kafka, "bench-session", "session cluster (1 TaskManager)", slots, () -> cpuSeconds(tm.pid()),
                    () -> cpuSeconds(jm));
            System.out.println("[bench] " + r);
            flink.rest().cancel(m.group(1));
            return r;
        }
    }

    private static Path sinkYaml(Path dir, HdfsCluster hdfs, EmbeddedKafka kafka, String mode, String checkpoint) throws IOException {
        String nn = hdfs.uri();
        return Files.writeString(Files.createDirectories(dir.resolve("conf")).resolve("sink-" + mode + ".yaml"), "kafka:\n"
                + "  bootstrapServers: \"" + kafka.bootstrapServers() + "\"\n"
                + "  topicPattern: \"ds-.*\"\n"
                + "  groupId: bench-" + mode + "\n"
                + "output:\n  path: \"" + nn + "/bench/" + mode + "/out\"\n"
                + "deadLetter:\n  path: \"" + nn + "/bench/" + mode + "/dead-letters\"\n"
                + "job:\n  checkpointInterval: " + checkpoint + "\n  checkpointDir: \"" + nn + "/bench/" + mode + "/checkpoints\"\n",
                StandardCharsets.UTF_8);
    }

    /** Writes {@code bytes} of log lines in four files (web access twice, Java application, JSON); returns lines and bytes. */
    private static long[] writeLogs(Path logs, long bytes) throws IOException {
        LogKind[] kinds = {LogKind.WEB_ACCESS, LogKind.JAVA_APP, LogKind.JSON, LogKind.WEB_ACCESS};
        long lines = 0;
        long total = 0;
        for (int i = 0; i < kinds.length; i++) {
            Path f = logs.resolve("app-" + i + ".log");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16)) {
                total += LogGenerator.of(kinds[i], 42 + i).writeTo(out, bytes / kinds.length);
            }
            try (InputStream in = Files.newInputStream(f)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    for (int j = 0; j < n; j++) {
                        lines += buf[j] == '\n' ? 1 : 0;
                    }
                }
            }
        }
        return new long[] {lines, total};
    }

    private static void awaitShipped(Feed feed, long lines) {
        await("the agent ships " + lines + " lines").atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> feed.agentCount(TASK, "ds_agent_lines_acked_total") >= lines);
    }

    /**
     * Samples the group's committed offsets every 100 ms until they reach the end of the topic (the
     * input is all there before the job starts); CPU is sampled at the start, at the first commit
     * and at the end.
     */
    private static Result measure(EmbeddedKafka kafka, String group, String mode, int slots, DoubleSupplier cpu, DoubleSupplier jmCpu)
            throws Exception {
        long t0 = System.nanoTime();
        double c0 = cpu.getAsDouble();
        double j0 = jmCpu == null ? 0 : jmCpu.getAsDouble();
        try (Admin admin = kafka.admin()) {
            List<TopicPartition> partitions = List.of(new TopicPartition(Feed.topic(TASK), 0), new TopicPartition(Feed.topic(TASK), 1));
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            long end = 0;
            for (var e : admin.listOffsets(latest).all().get().values()) {
                end += e.offset();
            }
            long endOffset = end;
            double[] first = new double[4]; // time, committed offsets, CPU, JobManager CPU at the first commit; time < 0: none yet
            first[0] = -1;
            Result[] result = new Result[1];
            await(group + " at the end of the topic").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                long committed = 0;
                for (OffsetAndMetadata o : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values()) {
                    committed += o == null ? 0 : o.offset();
                }
                long now = System.nanoTime();
                if (first[0] < 0 && committed > 0) {
                    first[0] = now;
                    first[1] = committed;
                    first[2] = cpu.getAsDouble();
                    first[3] = jmCpu == null ? 0 : jmCpu.getAsDouble();
                }
                if (committed < endOffset) {
                    return false;
                }
                double c1 = cpu.getAsDouble();
                double j1 = jmCpu == null ? 0 : jmCpu.getAsDouble();
                Window total = new Window((now - t0) / 1e9, c1 - c0, jmCpu == null ? -1 : j1 - j0);
                Window steady = new Window((now - first[0]) / 1e9, c1 - first[2], jmCpu == null ? -1 : j1 - first[3]);
                result[0] = new Result(mode, slots, total, steady, (endOffset - first[1]) / endOffset);
                return true;
            });
            return result[0];
        }
    }

    private static double cpuSeconds(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration()).map(d -> d.toNanos() / 1e9)
                .orElseThrow(() -> new IllegalStateException("no CPU time for process " + pid));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
