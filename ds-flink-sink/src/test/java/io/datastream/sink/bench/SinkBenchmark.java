package io.datastream.sink.bench;

import io.datastream.protocol.batch.BatchBuilder;
import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.Codec;
import io.datastream.protocol.codec.CodecType;
import io.datastream.sink.SinkJob;
import io.datastream.sink.config.SinkConfig;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Throughput and compression of the sink job on this machine: realistic logs (web access, Java
 * application with stack traces, JSON; ds-testkit's generators) are cut into envelopes as an
 * agent would, pre-loaded into an in-process Kafka broker, then read by the job on a local
 * MiniCluster (bounded: the job ends at the end of the topic after its final checkpoint).
 * Prints lines/s and MB/s of original log bytes, and the ratio of original bytes to output file
 * bytes, per output compression. Not a test: numbers go to docs/benchmarks.md.
 *
 * <pre>
 * java -Xmx2g -cp ... io.datastream.sink.bench.SinkBenchmark [--mb 512] [--parallelism 2] [--files 12]
 *      [--batch-kb 256] [--wire lz4|zstd|none] [--dup-percent 0] [--runs zstd:1,zstd:3,zstd:6,gzip:6]
 *      [--checkpoint 5s] [--dir target/bench] [--keep false]
 * </pre>
 */
public final class SinkBenchmark {
    private static final String TOPIC = "ds-bench";

    private SinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        int mb = Integer.parseInt(a.getOrDefault("mb", "512"));
        int parallelism = Integer.parseInt(a.getOrDefault("parallelism", "2"));
        int files = Integer.parseInt(a.getOrDefault("files", "12"));
        int batchKb = Integer.parseInt(a.getOrDefault("batch-kb", "256"));
        CodecType wire = CodecType.parse(a.getOrDefault("wire", "lz4"));
        int dupPercent = Integer.parseInt(a.getOrDefault("dup-percent", "0"));
        String[] runs = a.getOrDefault("runs", "zstd:1,zstd:3,zstd:6,gzip:6").split(",");
        String checkpoint = a.getOrDefault("checkpoint", "5s");
        Path dir = Path.of(a.getOrDefault("dir", "target/bench")).toAbsolutePath();
        deleteRecursively(dir);
        Files.createDirectories(dir);

        try (EmbeddedKafka kafka = EmbeddedKafka.builder().logDir(dir.resolve("kafka")).maxMessageBytes(16 << 20).build().start()) {
            kafka.createTopic(TOPIC, parallelism);
            Loaded loaded = preload(kafka.bootstrapServers(), (long) mb << 20, files, batchKb << 10, wire, dupPercent, parallelism);
            System.out.printf(Locale.ROOT, "input: %,d lines, %,d bytes of log lines (%.1f MiB) in %d files; %,d envelopes (%,d bytes, wire %s, %d%% re-sent)%n",
                    loaded.lines, loaded.lineBytes, loaded.lineBytes / 1048576.0, files, loaded.envelopes, loaded.envelopeBytes,
                    wire.name().toLowerCase(Locale.ROOT), dupPercent);
            // the first job in a JVM pays for class loading and JIT: run it once, unreported
            runOnce(kafka.bootstrapServers(), dir, "zstd", 3, parallelism, checkpoint, loaded, "warm-up");
            for (String run : runs) {
                String[] cl = run.split(":");
                runOnce(kafka.bootstrapServers(), dir, cl[0], cl.length > 1 ? Integer.parseInt(cl[1]) : 0, parallelism, checkpoint, loaded, null);
            }
        }
        if (!Boolean.parseBoolean(a.getOrDefault("keep", "false"))) {
            deleteRecursively(dir);
        }
    }

    private record Loaded(long lines, long lineBytes, long envelopes, long envelopeBytes) {
    }

    private static Loaded preload(String bootstrap, long totalBytes, int files, int batchBytes, CodecType wire, int dupPercent,
                                  int partitions) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        LogKind[] kinds = LogKind.values();
        long lines = 0;
        long lineBytes = 0;
        long envelopes = 0;
        long envelopeBytes = 0;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
             BatchBuilder builder = new BatchBuilder(UnpooledByteBufAllocator.DEFAULT, batchBytes, 1 << 20);
             Codec codec = wire.create()) {
            for (int f = 0; f < files; f++) {
                LogKind kind = kinds[f % kinds.length];
                String task = kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
                BatchSource src = new BatchSource(task, "agent-" + (f % 4), "host-" + f, "/var/log/" + task + "/" + f + ".log",
                        0x5EED0000L + f, Map.of("logType", task));
                LogGenerator gen = LogGenerator.of(kind, f);
                long fileBytes = totalBytes / files;
                long offset = 0;
                long written = 0;
                long eventTime = LogGenerator.DEFAULT_START_MILLIS;
                int partition = f % partitions;
                byte[] previous = null;
                builder.begin(src, offset);
                while (written < fileBytes) {
                    byte[] line = gen.nextLine();
                    if (!builder.fits(line.length, 1)) {
                        byte[] env = finish(builder, codec);
                        producer.send(new ProducerRecord<>(TOPIC, partition, null, env));
                        envelopes++;
                        envelopeBytes += env.length;
                        if (previous != null && rnd.nextInt(100) < dupPercent) {
                            producer.send(new ProducerRecord<>(TOPIC, partition, null, previous));
                            envelopes++;
                            envelopeBytes += previous.length;
                        }
                        previous = env;
                        builder.begin(src, offset);
                    }
                    builder.tryAppend(line, 0, line.length, 1, eventTime);
                    eventTime += 3;
                    offset += line.length + 1;
                    written += line.length + 1;
                    lines++;
                    lineBytes += line.length + 1;
                }
                if (!builder.isEmpty()) {
                    byte[] env = finish(builder, codec);
                    producer.send(new ProducerRecord<>(TOPIC, partition, null, env));
                    envelopes++;
                    envelopeBytes += env.length;
                }
            }
            producer.flush();
        }
        return new Loaded(lines, lineBytes, envelopes, envelopeBytes);
    }

    private static byte[] finish(BatchBuilder builder, Codec codec) {
        ByteBuf b = builder.finish(codec);
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    private static void runOnce(String bootstrap, Path dir, String compression, int level, int parallelism, String checkpoint,
                                Loaded in, String label) throws Exception {
        String name = label != null ? label : compression + (level > 0 ? "-" + level : "");
        Path out = dir.resolve("out-" + name);
        String yaml = String.join("\n",
                "kafka:",
                "  bootstrapServers: " + bootstrap,
                "  topics: [" + TOPIC + "]",
                "  groupId: bench-" + name,
                "  startingOffsets: earliest",
                "  bounded: true",
                "output:",
                "  path: " + out.toUri(),
                "  compression: " + compression,
                level > 0 ? "  compressionLevel: " + level : "",
                "deadLetter:",
                "  path: " + dir.resolve("dead-" + name).toUri(),
                "job:",
                "  parallelism: " + parallelism,
                "  checkpointInterval: " + checkpoint,
                "");
        SinkConfig cfg = SinkConfig.parse(yaml);
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        SinkJob.configureEnvironment(env, cfg);
        SinkJob.define(env, cfg);
        long start = System.nanoTime();
        JobExecutionResult result = env.execute("bench-" + name);
        double wallSeconds = (System.nanoTime() - start) / 1e9;
        double netSeconds = result.getNetRuntime(TimeUnit.MILLISECONDS) / 1000.0;
        long outBytes = 0;
        int outFiles = 0;
        try (Stream<Path> s = Files.walk(out)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                if (!p.getFileName().toString().startsWith(".")) {
                    outBytes += Files.size(p);
                    outFiles++;
                }
            }
        }
        if (label != null) {
            return;
        }
        System.out.printf(Locale.ROOT,
                "%-8s job %.1f s (wall %.1f s incl. cluster start): %,.0f lines/s, %.1f MB/s of log lines; output %,d bytes in %d files, ratio %.1f:1 (wire envelopes %.1f:1)%n",
                name, netSeconds, wallSeconds, in.lines / netSeconds, in.lineBytes / 1e6 / netSeconds, outBytes, outFiles,
                (double) in.lineBytes / outBytes, (double) in.lineBytes / in.envelopeBytes);
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(walk.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
