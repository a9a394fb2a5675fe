package io.datastream.agent.bench;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import io.datastream.protocol.codec.CodecSet;
import io.datastream.protocol.envelope.Envelope;
import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.testkit.net.FreePorts;
import io.netty.buffer.ByteBuf;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Latency benchmark (numbers, not assertions): from a line written to a file to its Kafka
 * acknowledgement, through a real agent process ({@link AgentProcess}), a real router
 * ({@code Router.start}, in this JVM) and an embedded KRaft broker (in this JVM).
 *
 * <p>Every line starts with its write time (16 digits, wall-clock microseconds). The topic has
 * {@code message.timestamp.type=LogAppendTime}, so each Kafka record carries the broker's append
 * time (milliseconds); a consumer in this JVM decodes each envelope and records, per line, the
 * append time minus the write time (the latency to the Kafka acknowledgement: with one replica
 * the broker acknowledges right after the append), split at the batch's first event time (when
 * the agent built the batch), and its own receipt time minus the write time.
 *
 * <pre>
 * [--rate-mb R]              steady write rate in MB/s; default: half the capacity measured first
 * [--capacity-mb 256]        pre-written MB for the capacity measurement (when --rate-mb is absent)
 * [--files 4] [--warmup 20] [--seconds 30] [--codec lz4] [--partitions 2]
 * [--agent "batch: {lingerMs: 20}"]                    more top-level agent YAML, ";" starts a new line
 * [--producer linger.ms=5,batch.size=1048576]          more router kafka.properties
 * [--jvm "-Xmx128m -XX:+UseSerialGC"] [--dir /tmp] [--keep y]   (keep the logs and the agent's output)
 * </pre>
 */
public final class LatencyBenchmark {
    private static final int STAMP = 16; // digits of the write time at the start of every line
    private static final String ROUTER_ID = "lat";

    private final Map<String, String> args = new HashMap<>();
    private final Path work;
    private final int agentHttpPort = FreePorts.next();
    private final CodecSet codecs = new CodecSet();

    private LatencyBenchmark(String[] argv) throws Exception {
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        work = Files.createTempDirectory(Path.of(arg("dir", System.getProperty("java.io.tmpdir"))), "latency-bench-");
    }

    private String arg(String k, String def) {
        return args.getOrDefault(k, def);
    }

    private int intArg(String k, int def) {
        return Integer.parseInt(arg(k, String.valueOf(def)));
    }

    public static void main(String[] argv) throws Exception {
        LatencyBenchmark b = new LatencyBenchmark(argv);
        try {
            b.run();
        } finally {
            b.deleteWork();
        }
        System.exit(0);
    }

    /** The logs (about 2 GB a minute at 30 MB/s) and the agent's data, unless --keep y. */
    private void deleteWork() throws java.io.IOException {
        if (args.containsKey("keep")) {
            print("kept %s", work);
            return;
        }
        try (java.util.stream.Stream<Path> all = Files.walk(work)) {
            for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void print(String fmt, Object... a) {
        System.out.println(String.format(Locale.ROOT, fmt, a));
    }

    /** Wall-clock microseconds (the clock the broker's append time uses, in finer units). */
    private static long wallMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (Exception e) {
            return "?";
        }
    }

    private void run() throws Exception {
        int partitions = intArg("partitions", 2);
        print("load average before: %s", loadAverage());
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().maxMessageBytes(8 << 20).build().start()) {
            for (String topic : List.of("capacity", "latency")) {
                kafka.createTopic(topic, partitions, 1, Map.of("message.timestamp.type", "LogAppendTime"));
            }
            String producer = producerProps();
            try (Router router = Router.start(RouterConfig.fromYaml("id: " + ROUTER_ID + "\n"
                    + "listen: {host: 127.0.0.1, port: 0}\n"
                    + "http: {host: 127.0.0.1, port: 0}\n"
                    + "kafka: {bootstrapServers: \"" + kafka.bootstrapServers() + "\", properties: {" + producer + "}}\n"))) {
                print("router producer properties: {%s}; agent extra config: %s", producer, agentExtra().isBlank() ? "-" : agentExtra().replace("\n", "; "));
                double rate;
                if (args.containsKey("rate-mb")) {
                    rate = Double.parseDouble(arg("rate-mb", "10")) * 1e6;
                } else {
                    double capacity = capacity(kafka, router);
                    rate = capacity / 2;
                    print("capacity (pre-written logs, agent + router + Kafka on this machine): %.1f MB/s; writing at half: %.1f MB/s",
                            capacity / 1e6, rate / 1e6);
                }
                latency(kafka, router, rate, partitions);
            }
        }
        print("load average after: %s", loadAverage());
    }

    /** Producer properties for the router's YAML from {@code --producer k=v,k=v}. */
    private String producerProps() {
        StringBuilder b = new StringBuilder();
        for (String kv : arg("producer", "").split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=", 2);
                b.append(b.length() == 0 ? "" : ", ").append(p[0].trim()).append(": \"").append(p[1].trim()).append('"');
            }
        }
        return b.toString();
    }

    private String agentExtra() {
        String extra = arg("agent", "").replace(";", "\n");
        return extra.isBlank() ? "" : extra + "\n";
    }

    private Path agentConfig(String name, Router router, Path logs, String topic) throws Exception {
        Path cfg = work.resolve(name + ".yaml");
        Files.writeString(cfg, "id: bench-agent\nhost: bench\ndataDir: " + work.resolve(name + "-data") + "\n"
                + "http: {host: 127.0.0.1, port: " + agentHttpPort + "}\nrouters: [\"127.0.0.1:" + router.port() + "\"]\n"
                + "paths: {allow: [\"" + work.toAbsolutePath() + "\"]}\n"
                + agentExtra()
                + "tasks:\n  - id: bench\n    paths: [\"" + logs + "/*.log\"]\n    topic: " + topic + "\n    codec: " + arg("codec", "lz4") + "\n");
        return cfg;
    }

    private List<String> jvm() {
        return List.of(arg("jvm", "-Xmx128m -XX:+UseSerialGC").split(" "));
    }

    /** Pre-written logs delivered as fast as the pipeline goes: bytes per second between the first and last append time. */
    private double capacity(EmbeddedKafka kafka, Router router) throws Exception {
        int files = intArg("files", 4);
        long perFile = Long.parseLong(arg("capacity-mb", "256")) * 1_000_000L / files;
        Path logs = Files.createDirectories(work.resolve("capacity-logs"));
        Lines pool = new Lines(0);
        long total = 0;
        long lines = 0;
        for (int i = 0; i < files; i++) {
            try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(logs.resolve("f" + i + ".log")), 1 << 20)) {
                byte[] stamp = stamp(0);
                for (long w = 0; w < perFile; ) {
                    byte[] l = pool.next();
                    out.write(stamp);
                    out.write(l);
                    w += stamp.length + l.length;
                    total += stamp.length + l.length;
                    lines++;
                }
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka, "capacity", intArg("partitions", 2));
                AgentProcess agent = new AgentProcess(agentConfig("capacity", router, logs, "capacity"), work.resolve("capacity-agent.out"), jvm())) {
            long seen = 0;
            long first = Long.MAX_VALUE;
            long last = 0;
            long bytes = 0;
            long firstBatchBytes = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (seen < lines && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    Envelope e = Envelope.parse(r.value());
                    if (e.isCorrupt()) {
                        continue;
                    }
                    long source = e.batch().endOffset() - e.batch().startOffset();
                    if (r.timestamp() < first) {
                        first = r.timestamp();
                        firstBatchBytes = source;
                    }
                    last = Math.max(last, r.timestamp());
                    seen += e.batch().recordCount();
                    bytes += source;
                }
            }
            double secs = Math.max(1, last - first) / 1e3;
            print("capacity run: %d of %d lines (%.1f MB) in Kafka, %.2f s from the first append to the last; agent CPU %.1f s",
                    seen, lines, total / 1e6, secs, agent.cpuSeconds());
            return (bytes - firstBatchBytes) / secs;
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(EmbeddedKafka kafka, String topic, int partitions) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
        }
        c.assign(tps);
        c.seekToBeginning(tps);
        return c;
    }

    /** The 16-digit write time and a space, as bytes. */
    private static byte[] stamp(long micros) {
        return String.format(Locale.ROOT, "%016d ", micros).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** A pool of realistic lines (each with its newline), handed out round-robin. */
    private static final class Lines {
        private final List<byte[]> lines = new ArrayList<>();
        private int next;

        Lines(long seed) {
            LogGenerator gen = LogGenerator.of(LogKind.WEB_ACCESS, seed);
            for (int i = 0; i < 50_000; i++) {
                byte[] l = gen.nextLine();
                byte[] withNl = java.util.Arrays.copyOf(l, l.length + 1);
                withNl[l.length] = '\n';
                lines.add(withNl);
            }
        }

        byte[] next() {
            byte[] l = lines.get(next);
            next = (next + 1) % lines.size();
            return l;
        }
    }

    /** Writes lines to {@code files} files at {@code rate} bytes/s, each chunk of lines stamped with its write time. */
    private static final class Writer implements Runnable {
        private final List<OutputStream> outs;
        private final double rate;
        private final Lines pool = new Lines(1);
        private final byte[] buf = new byte[4 << 20];
        final AtomicLong bytes = new AtomicLong();
        /** Lines written with a write time at or after {@link #windowStart} and before {@link #windowEnd}. */
        final AtomicLong windowLines = new AtomicLong();
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        volatile boolean running = true;
        volatile Exception failure;

        Writer(List<OutputStream> outs, double rate) {
            this.outs = outs;
            this.rate = rate;
        }

        @Override
        public void run() {
            long start = System.nanoTime();
            int f = 0;
            try {
                while (running) {
                    double should = (System.nanoTime() - start) / 1e9 * rate;
                    long behind = (long) should - bytes.get();
                    if (behind <= 0) {
                        LockSupport.parkNanos(500_000);
                        continue;
                    }
                    long now = wallMicros();
                    byte[] stamp = stamp(now);
                    int n = 0;
                    int count = 0;
                    while (n < behind && n + stamp.length + 2048 < buf.length) {
                        byte[] l = pool.next();
                        System.arraycopy(stamp, 0, buf, n, stamp.length);
                        System.arraycopy(l, 0, buf, n + stamp.length, l.length);
                        n += stamp.length + l.length;
                        count++;
                    }
                    outs.get(f).write(buf, 0, n);
                    bytes.addAndGet(n);
                    if (now >= windowStart && now < windowEnd) {
                        windowLines.addAndGet(count);
                    }
                    f = (f + 1) % outs.size();
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** Per-line latencies of the lines written inside the window, from the consumer thread. */
    private final class Receiver implements Runnable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        final Histogram toAppend = new Histogram(3_600_000_000L, 3);
        final Histogram toReceipt = new Histogram(3_600_000_000L, 3);
        /** Write -> the batch's first event time (when the agent read the lines and built the batch, ms). */
        final Histogram toRead = new Histogram(3_600_000_000L, 3);
        /** The batch's first event time -> the Kafka append (shipping, router, producer, broker). */
        final Histogram readToAppend = new Histogram(3_600_000_000L, 3);
        final AtomicLong windowLines = new AtomicLong();
        final AtomicLong allLines = new AtomicLong();
        final AtomicLong batches = new AtomicLong();
        final AtomicLong corrupt = new AtomicLong();
        final AtomicLong appendBeforeWrite = new AtomicLong();
        volatile long windowStart = Long.MAX_VALUE;
        volatile long windowEnd = Long.MAX_VALUE;
        volatile boolean running = true;

        Receiver(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void run() {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long received = wallMicros();
                    long appended = r.timestamp() * 1000L;
                    Envelope e = Envelope.parse(r.value());
                    if (e.isCorrupt()) {
                        corrupt.incrementAndGet();
                        continue;
                    }
                    long read = e.batch().firstEventTime() * 1000L;
                    batches.incrementAndGet();
                    long from = windowStart;
                    long to = windowEnd;
                    try {
                        e.forEachLine(codecs, (offset, next, buffer, index, length) -> {
                            allLines.incrementAndGet();
                            long written = parseStamp(buffer, index, length);
                            if (written >= from && written < to) {
                                windowLines.incrementAndGet();
                                long a = appended - written;
                                if (a < 0) {
                                    appendBeforeWrite.incrementAndGet(); // the append time is in whole milliseconds
                                }
                                toAppend.recordValue(Math.max(0, a));
                                toReceipt.recordValue(Math.max(0, received - written));
                                toRead.recordValue(Math.max(0, read - written));
                                readToAppend.recordValue(Math.max(0, appended - read));
                            }
                        });
                    } catch (Exception ex) {
                        corrupt.incrementAndGet();
                    }
                }
            }
        }
    }

    private static long parseStamp(ByteBuf b, int index, int length) {
        if (length < STAMP) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < STAMP; i++) {
            int d = b.getByte(index + i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    /** CPU nanoseconds of this JVM's router threads (its own threads and its producer's network thread). */
    private static long routerCpuNanos() {
        return routerThreadCpuNanos().values().stream().mapToLong(Long::longValue).sum();
    }

    /** CPU nanoseconds per router thread name (numbers left out, so threads of one pool are summed). */
    private static Map<String, Long> routerThreadCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> m = new java.util.TreeMap<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && (info.getThreadName().startsWith("ds-router-" + ROUTER_ID) || info.getThreadName().contains("| ds-router-" + ROUTER_ID))) {
                m.merge(info.getThreadName().replaceAll("-\\d+", ""), Math.max(0, mx.getThreadCpuTime(info.getThreadId())), Long::sum);
            }
        }
        return m;
    }

    /** "name x.x %, ..." busiest first: CPU per thread name between two snapshots, as % of one core. */
    private static String perThread(Map<String, Double> before, Map<String, Double> after, double secs) {
        StringBuilder b = new StringBuilder();
        after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(Locale.ROOT, ", %s %.1f %%", e.getKey(), 100 * e.getValue() / secs)));
        return b.length() == 0 ? "-" : b.substring(2);
    }

    private static Map<String, Double> seconds(Map<String, Long> nanos) {
        Map<String, Double> m = new HashMap<>();
        nanos.forEach((k, v) -> m.put(k, v / 1e9));
        return m;
    }

    private static double processCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
    }

    private void latency(EmbeddedKafka kafka, Router router, double rate, int partitions) throws Exception {
        int files = intArg("files", 4);
        int warmup = intArg("warmup", 20);
        int seconds = intArg("seconds", 30);
        Path logs = Files.createDirectories(work.resolve("logs"));
        List<OutputStream> outs = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            outs.add(Files.newOutputStream(logs.resolve("f" + i + ".log")));
        }
        Writer writer = new Writer(outs, rate);
        Receiver receiver = new Receiver(consumer(kafka, "latency", partitions));
        Thread rt = new Thread(receiver, "bench-receiver");
        Thread wt = new Thread(writer, "bench-writer");
        try (AgentProcess agent = new AgentProcess(agentConfig("latency", router, logs, "latency"), work.resolve("latency-agent.out"), jvm())) {
            rt.start();
            wt.start();
            Thread.sleep(warmup * 1000L);
            long start = wallMicros();
            receiver.windowStart = start;
            writer.windowStart = start;
            String load0 = loadAverage();
            double agent0 = agent.cpuSeconds();
            long router0 = routerCpuNanos();
            Map<String, Double> agentThreads0 = agent.threadCpuSeconds();
            Map<String, Double> routerThreads0 = seconds(routerThreadCpuNanos());
            long batches0 = receiver.batches.get();
            double jvm0 = processCpuSeconds();
            long written0 = writer.bytes.get();
            long t0 = System.nanoTime();
            long maxRss = 0;
            for (int s = 0; s < seconds; s++) {
                Thread.sleep(1000);
                maxRss = Math.max(maxRss, agent.statusKb("VmRSS"));
            }
            long end = wallMicros();
            writer.windowEnd = end;
            receiver.windowEnd = end;
            double secs = (System.nanoTime() - t0) / 1e9;
            double agentCpu = agent.cpuSeconds() - agent0;
            double routerCpu = (routerCpuNanos() - router0) / 1e9;
            double jvmCpu = processCpuSeconds() - jvm0;
            String agentThreads = perThread(agentThreads0, agent.threadCpuSeconds(), secs);
            String routerThreads = perThread(routerThreads0, seconds(routerThreadCpuNanos()), secs);
            long batches = receiver.batches.get() - batches0;
            long written = writer.bytes.get() - written0;
            String load1 = loadAverage();
            // wait for the window's lines (the writer keeps writing so that the last batches fill as usual)
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (receiver.windowLines.get() < writer.windowLines.get() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            writer.running = false;
            wt.join();
            receiver.running = false;
            rt.join();
            if (writer.failure != null) {
                throw writer.failure;
            }
            double mb = written / 1e6;
            print("load average: %s at the window's start, %s at its end", load0, load1);
            print("written %.2f MB/s (target %.2f) to %d files, %.0f lines/s; %d lines in the window, %d in Kafka (%d batches received in all, %d corrupt)",
                    mb / secs, rate / 1e6, files, writer.windowLines.get() / secs, writer.windowLines.get(), receiver.windowLines.get(),
                    receiver.batches.get(), receiver.corrupt.get());
            printHistogram("write -> Kafka append (ack)", receiver.toAppend);
            printHistogram("  part 1: write -> batch built by the agent (its first event time, whole ms)", receiver.toRead);
            printHistogram("  part 2: batch built -> Kafka append (agent send, router, producer, broker)", receiver.readToAppend);
            printHistogram("write -> consumer receipt", receiver.toReceipt);
            print("lines whose append time (whole ms) was before their write time (recorded as 0): %d", receiver.appendBeforeWrite.get());
            print("agent CPU: %.1f %% of one core = %.2f CPU-s per GB; RSS max %d MiB", 100 * agentCpu / secs, agentCpu / mb * 1000, maxRss / 1024);
            print("router CPU (its threads + producer network thread): %.1f %% of one core = %.2f CPU-s per GB", 100 * routerCpu / secs, routerCpu / mb * 1000);
            print("Kafka records (agent batches) received during the window: %.0f per second", batches / secs);
            print("agent CPU per thread (%% of one core): %s", agentThreads);
            print("router CPU per thread (%% of one core): %s", routerThreads);
            print("benchmark JVM in all (router, broker, writer, consumer): %.1f %% of one core", 100 * jvmCpu / secs);
            print("| settings | MB/s | p50 ms | p99 ms | p99.9 ms | max ms | agent %% core | agent CPU-s/GB | router %% core | router CPU-s/GB | load |");
            print("| %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %.2f | %.1f | %.2f | %s -> %s |",
                    settingsLabel(), mb / secs, ms(receiver.toAppend, 50), ms(receiver.toAppend, 99), ms(receiver.toAppend, 99.9),
                    receiver.toAppend.getMaxValue() / 1e3, 100 * agentCpu / secs, agentCpu / mb * 1000, 100 * routerCpu / secs,
                    routerCpu / mb * 1000, load0.split(" ")[0], load1.split(" ")[0]);
        } finally {
            writer.running = false;
            receiver.running = false;
            for (OutputStream o : outs) {
                o.close();
            }
        }
    }

    private String settingsLabel() {
        String a = arg("agent", "").trim();
        String p = arg("producer", "").trim();
        return (a.isEmpty() ? "agent defaults" : a) + "; " + (p.isEmpty() ? "router defaults" : p);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e3;
    }

    private static void printHistogram(String title, Histogram h) {
        print("%s, %d lines: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms, mean %.1f ms", title, h.getTotalCount(),
                ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e3, h.getMean() / 1e3);
    }
}
