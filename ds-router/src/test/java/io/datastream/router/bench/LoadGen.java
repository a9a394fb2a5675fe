package io.datastream.router.bench;

import io.datastream.protocol.batch.BatchSource;
import io.datastream.protocol.codec.CodecType;
import io.datastream.router.Router;
import io.datastream.router.RouterConfig;
import io.datastream.router.config.RouteMode;
import io.datastream.router.kafka.LineHeaders;
import io.datastream.router.kafka.ProducerSettings;
import io.datastream.router.sim.Http;
import io.datastream.router.sim.SimAgent;
import io.datastream.router.sim.SourceStream;
import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.embedded.logs.LogKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Router benchmark (numbers, not a test). Two modes:
 *
 * <pre>
 * throughput  [--agents 4] [--seconds 20] [--warmup 5] [--partitions 4] [--batch-kib 256] [--codec zstd]
 *             [--workers 2] [--queue 2048] [--threads y] [--route-mode envelope|lines]
 *             [--producer linger.ms=20,batch.size=524288]   (more kafka.properties, for the router and the plain loop)
 *             [--kafka host:port]     (default: an embedded KRaft broker in this JVM)
 * idle        --port P --http-port H [--connections 10000] [--seconds 30] [--pid ROUTER_PID]
 * </pre>
 *
 * Throughput: simulated agents (in this JVM) send realistic log batches through an in-process
 * router (envelope mode) into Kafka; then a plain KafkaProducer loop sends the same batch bytes to
 * the same broker. It prints MB/s (uncompressed and on the wire), batches/s, the router's
 * CPU-seconds per GB (ThreadMXBean over the router's threads) and the router/plain ratio.
 * With {@code --route-mode lines} the route is in lines mode and the plain loop sends the same
 * records the router makes: one per line, the same key, value and headers, with the lines-mode
 * producer settings (the lines decoded before the run, so its decoding is not measured).
 * Idle: opens that many agent connections (HELLO, heartbeats) to a router running in another JVM
 * and reports how many it holds, with the router's heap after a full GC (jcmd) and its RSS.
 */
public final class LoadGen {
    private final Map<String, String> args;

    private LoadGen(Map<String, String> args) {
        this.args = args;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        String mode = argv.length > 0 && !argv[0].startsWith("--") ? argv[0] : "throughput";
        for (int i = mode.equals(argv.length > 0 ? argv[0] : "") ? 1 : 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        LoadGen g = new LoadGen(a);
        if (mode.equals("idle")) {
            g.idle();
        } else {
            g.throughput();
        }
        System.exit(0);
    }

    private int intArg(String k, int def) {
        return Integer.parseInt(args.getOrDefault(k, String.valueOf(def)));
    }

    // ------------------------------------------------------------------ throughput

    /** Batch templates and their sizes. */
    private record Templates(List<byte[]> batches, long wireBytes, long uncompressedBytes) {
        double ratio() {
            return (double) uncompressedBytes / wireBytes;
        }
    }

    private static Templates templates(int agent, int count, int batchBytes, CodecType codec) {
        List<byte[]> out = new ArrayList<>();
        long wire = 0;
        long raw = 0;
        LogKind[] kinds = LogKind.values();
        for (int f = 0; f < 4; f++) {
            long fp = agent * 1000L + f;
            try (SourceStream s = new SourceStream(new BatchSource("bench", "bench-agent-" + agent, "host-" + agent,
                    "/var/log/app-" + f + ".log", fp, Map.of("logType", kinds[f % kinds.length].name().toLowerCase())), codec,
                    kinds[f % kinds.length], fp, batchBytes)) {
                for (int i = 0; i < count / 4; i++) {
                    SourceStream.Built b = s.nextFull();
                    byte[] bytes = ByteBufUtil.getBytes(b.bytes());
                    b.bytes().release();
                    out.add(bytes);
                    wire += bytes.length;
                    raw += b.uncompressedBytes();
                }
            }
        }
        return new Templates(out, wire, raw);
    }

    private void throughput() throws Exception {
        int agents = intArg("agents", 4);
        int seconds = intArg("seconds", 20);
        int warmup = intArg("warmup", 5);
        int partitions = intArg("partitions", 4);
        int batchBytes = intArg("batch-kib", 256) << 10;
        CodecType codec = CodecType.parse(args.getOrDefault("codec", "zstd"));
        RouteMode routeMode = java.util.Objects.requireNonNull(RouteMode.fromConfig(args.getOrDefault("route-mode", "envelope")),
                "--route-mode: envelope or lines");
        EmbeddedKafka embedded = null;
        String bootstrap = args.get("kafka");
        if (bootstrap == null) {
            embedded = EmbeddedKafka.builder().maxMessageBytes(8 << 20).build().start();
            bootstrap = embedded.bootstrapServers();
        }
        String id = "bench";
        try {
            createTopic(embedded, "bench-router", partitions);
            createTopic(embedded, "bench-plain", partitions);
            List<Templates> perAgent = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                perAgent.add(templates(i, 32, batchBytes, codec));
            }
            Templates all = merge(perAgent);
            System.out.printf("templates: %d batches, %.1f KiB on the wire each, compression %.2f:1 (%s)%n", all.batches().size(),
                    all.wireBytes() / 1024.0 / all.batches().size(), all.ratio(), codec);

            String yaml = """
                    id: %s
                    listen: {host: 127.0.0.1, port: 0, workerThreads: %d}
                    http: {host: 127.0.0.1, port: 0}
                    limits: {maxBatchBytes: %d}
                    kafka: {bootstrapServers: "%s", properties: {max.request.size: "%d"%s}}
                    defaultRoute: {topic: bench-router, mode: %s}
                    """.formatted(id, intArg("workers", 2), Math.max(1 << 20, batchBytes + 65536), bootstrap, 8 << 20, producerProps(), routeMode.configName());
            RouterConfig cfg = RouterConfig.fromYaml(yaml);
            Result router = runRouter(cfg, routeMode, perAgent, warmup, seconds, all.ratio());
            Result plain = runPlain(cfg, routeMode, all, warmup, seconds);
            System.out.println();
            System.out.println("route mode " + routeMode.configName() + (routeMode == RouteMode.LINES
                    ? String.format(", %.0f lines per batch", (double) linesOf(all.batches()) / all.batches().size()) : ""));
            System.out.println();
            System.out.println("| run | wire MB/s | uncompressed MB/s | batches/s | CPU-s per GB (wire) | CPU-s per GB (uncompressed) |");
            System.out.println("|---|---|---|---|---|---|");
            System.out.println(router.row("router (" + agents + " agents)"));
            System.out.println(plain.row("plain KafkaProducer loop"));
            System.out.printf("%nrouter / plain producer (wire bytes): %.0f%%%n", 100.0 * router.wireMBps() / plain.wireMBps());
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    /** {@code --producer k=v,k=v} as more YAML entries of kafka.properties. */
    private String producerProps() {
        StringBuilder b = new StringBuilder();
        for (String kv : args.getOrDefault("producer", "").split(",")) {
            if (!kv.isBlank()) {
                String[] p = kv.split("=", 2);
                b.append(", ").append(p[0].trim()).append(": \"").append(p[1].trim()).append('"');
            }
        }
        return b.toString();
    }

    private static Templates merge(List<Templates> ts) {
        List<byte[]> b = new ArrayList<>();
        long w = 0;
        long r = 0;
        for (Templates t : ts) {
            b.addAll(t.batches());
            w += t.wireBytes();
            r += t.uncompressedBytes();
        }
        return new Templates(b, w, r);
    }

    private static void createTopic(EmbeddedKafka kafka, String name, int partitions) {
        if (kafka != null) {
            kafka.createTopic(name, partitions);
        }
    }

    /** One measured run. */
    record Result(long bytes, long batches, double seconds, double ratio, double cpuSeconds) {
        double wireMBps() {
            return bytes / seconds / 1e6;
        }

        String row(String name) {
            double gb = bytes / 1e9;
            return String.format("| %s | %.1f | %.1f | %.0f | %.1f | %.2f |", name, wireMBps(), wireMBps() * ratio, batches / seconds,
                    cpuSeconds / gb, cpuSeconds / (gb * ratio));
        }
    }

    private Result runRouter(RouterConfig cfg, RouteMode mode, List<Templates> perAgent, int warmup, int seconds, double ratio) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Math.max(1, Math.min(2, perAgent.size())), NioIoHandler.newFactory());
        int queue = intArg("queue", 2048); // batches an agent keeps queued or in flight: the credit window is the limit
        List<SimAgent> agents = new ArrayList<>();
        try (Router router = Router.start(cfg)) {
            List<ByteBuf> direct = new ArrayList<>();
            for (int i = 0; i < perAgent.size(); i++) {
                // like the agent's BatchBuilder output: direct buffers, written without a copy
                List<ByteBuf> batches = new ArrayList<>();
                for (byte[] b : perAgent.get(i).batches()) {
                    batches.add(Unpooled.directBuffer(b.length).writeBytes(b));
                }
                direct.addAll(batches);
                AtomicInteger next = new AtomicInteger();
                SimAgent a = new SimAgent(group, SimAgent.Options.of("bench-agent-" + i, router.port())).start();
                a.feed(() -> batches.get(Math.floorMod(next.getAndIncrement(), batches.size())).retainedDuplicate(), queue);
                agents.add(a);
            }
            Predicate<String> routerThread = n -> n.startsWith("ds-router-" + cfg.id()) || n.contains("ds-router-" + cfg.id() + "-" + mode.configName());
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
            long b0 = agents.stream().mapToLong(SimAgent::okBytes).sum();
            long n0 = agents.stream().mapToLong(SimAgent::acked).sum();
            long c0 = cpu(routerThread);
            Map<Long, Long> threads0 = threadCpu();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            long b1 = agents.stream().mapToLong(SimAgent::okBytes).sum();
            long n1 = agents.stream().mapToLong(SimAgent::acked).sum();
            long c1 = cpu(routerThread);
            double s = (System.nanoTime() - t0) / 1e9;
            printThreads("router run", threads0);
            printProducer("ds-router-" + cfg.id() + "-" + mode.configName());
            System.out.printf("router: %s batches waiting for the sender thread%n", Http.metric(router.httpPort(), "ds_router_kafka_queue_batches"));
            System.out.printf("router: pool used %d bytes, retries %s, kafka p50 latency (see /metrics)%n", router.poolUsedBytes(),
                    agents.get(0).retryCounts());
            double latencyCount = Http.metric(router.httpPort(), "ds_router_kafka_ack_latency_seconds_count");
            double latencySum = Http.metric(router.httpPort(), "ds_router_kafka_ack_latency_seconds_sum");
            System.out.printf("router: mean Kafka ack latency %.1f ms over %.0f batches%n", 1000 * latencySum / latencyCount, latencyCount);
            agents.forEach(SimAgent::close);
            direct.forEach(ByteBuf::release);
            return new Result(b1 - b0, n1 - n0, s, ratio, (c1 - c0) / 1e9);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Result runPlain(RouterConfig cfg, RouteMode mode, Templates all, int warmup, int seconds) throws Exception {
        Map<String, Object> props = ProducerSettings.forMode("plain", cfg.kafka(), cfg.pool(), cfg.limits(), mode);
        AtomicLong bytes = new AtomicLong();
        AtomicLong count = new AtomicLong();
        Thread me = Thread.currentThread();
        Predicate<String> plainThread = n -> n.equals(me.getName()) || n.contains("ds-router-plain-" + mode.configName());
        List<byte[]> keys = new ArrayList<>();
        List<List<ProducerRecord<byte[], byte[]>>> lineRecords = new ArrayList<>();
        for (byte[] b : all.batches()) {
            io.datastream.protocol.envelope.Envelope e = io.datastream.protocol.envelope.Envelope.parse(b);
            byte[] task = e.batch().taskId().getBytes(StandardCharsets.UTF_8);
            byte[] key = ByteBuffer.allocate(task.length + 8).put(task).putLong(e.batch().fingerprint()).array();
            keys.add(key);
            if (mode == RouteMode.LINES) {
                lineRecords.add(lineRecords(e.batch(), key));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long b0 = 0;
            long n0 = 0;
            long c0 = 0;
            long t0 = 0;
            Map<Long, Long> threads0 = Map.of();
            boolean measuring = false;
            long end = warmEnd + TimeUnit.SECONDS.toNanos(seconds);
            int i = 0;
            while (true) {
                long now = System.nanoTime();
                if (!measuring && now >= warmEnd) {
                    measuring = true;
                    b0 = bytes.get();
                    n0 = count.get();
                    c0 = cpu(plainThread);
                    threads0 = threadCpu();
                    t0 = now;
                }
                if (now >= end) {
                    break;
                }
                byte[] v = all.batches().get(i % all.batches().size());
                byte[] k = keys.get(i % keys.size());
                if (mode == RouteMode.LINES) {
                    // like the router: the batch counts once all its records are acknowledged
                    List<ProducerRecord<byte[], byte[]>> recs = lineRecords.get(i % lineRecords.size());
                    i++;
                    AtomicInteger left = new AtomicInteger(recs.size());
                    org.apache.kafka.clients.producer.Callback cb = (md, ex) -> {
                        if (ex == null && left.decrementAndGet() == 0) {
                            bytes.addAndGet(v.length);
                            count.incrementAndGet();
                        }
                    };
                    for (ProducerRecord<byte[], byte[]> r : recs) {
                        producer.send(r, cb);
                    }
                    continue;
                }
                i++;
                producer.send(new ProducerRecord<>("bench-plain", k, v), (md, ex) -> {
                    if (ex == null) {
                        bytes.addAndGet(v.length);
                        count.incrementAndGet();
                    }
                });
            }
            long b1 = bytes.get();
            long n1 = count.get();
            long c1 = cpu(plainThread);
            double s = (System.nanoTime() - t0) / 1e9;
            printThreads("plain run", threads0);
            printProducer("ds-router-plain-" + mode.configName());
            return new Result(b1 - b0, n1 - n0, s, all.ratio(), (c1 - c0) / 1e9);
        }
    }

    /** The records lines mode makes of a batch (bytes and headers as the router's, see router.md), built once. */
    private static List<ProducerRecord<byte[], byte[]>> lineRecords(io.datastream.protocol.batch.Batch b, byte[] key) throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (io.datastream.protocol.codec.CodecSet codecs = new io.datastream.protocol.codec.CodecSet();
             io.datastream.protocol.batch.RecordCursor c = b.openRecords(codecs, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)) {
            while (c.next()) {
                List<org.apache.kafka.common.header.Header> h = new ArrayList<>();
                h.add(header(LineHeaders.TASK, b.taskId()));
                h.add(header(LineHeaders.AGENT, b.agentId()));
                h.add(header(LineHeaders.HOST, b.host()));
                h.add(header(LineHeaders.PATH, b.path()));
                h.add(header(LineHeaders.FINGERPRINT, String.format("%016x", b.fingerprint())));
                h.add(header(LineHeaders.OFFSET, Long.toString(c.offset())));
                out.add(new ProducerRecord<>("bench-plain", null, null, key, c.contentBytes(), h));
            }
        }
        return out;
    }

    private static org.apache.kafka.common.header.Header header(String k, String v) {
        return new org.apache.kafka.common.header.internals.RecordHeader(k, v.getBytes(StandardCharsets.UTF_8));
    }

    private static long linesOf(List<byte[]> batches) {
        long n = 0;
        for (byte[] b : batches) {
            n += io.datastream.protocol.envelope.Envelope.parse(b).batch().recordCount();
        }
        return n;
    }

    /** A few of the producer's own metrics (JMX), to see where a batch waits. */
    private void printProducer(String clientId) {
        if (!args.containsKey("threads")) {
            return;
        }
        try {
            var server = ManagementFactory.getPlatformMBeanServer();
            var name = new javax.management.ObjectName("kafka.producer:type=producer-metrics,client-id=" + clientId);
            StringBuilder b = new StringBuilder("producer " + clientId + ":");
            for (String a : List.of("batch-size-avg", "request-size-avg", "records-per-request-avg", "record-queue-time-avg",
                    "request-latency-avg", "requests-in-flight", "bufferpool-wait-ratio", "io-wait-ratio", "select-rate")) {
                b.append(' ').append(a).append('=').append(server.getAttribute(name, a));
            }
            System.out.println(b);
        } catch (Exception e) {
            System.out.println("producer metrics unavailable: " + e);
        }
    }

    /** CPU time of every thread now, by thread id. */
    private static Map<Long, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> m = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            m.put(id, mx.getThreadCpuTime(id));
        }
        return m;
    }

    /** Each thread's CPU time since {@code before}, busiest first. */
    private void printThreads(String title, Map<Long, Long> before) {
        if (!args.containsKey("threads")) {
            return;
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        List<String> rows = new ArrayList<>();
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null) {
                long t = mx.getThreadCpuTime(info.getThreadId()) - before.getOrDefault(info.getThreadId(), 0L);
                if (t > 50_000_000L) {
                    rows.add(String.format("%8.2f s  %s", t / 1e9, info.getThreadName()));
                }
            }
        }
        rows.sort(java.util.Comparator.reverseOrder());
        System.out.println("CPU by thread, " + title + ":");
        rows.forEach(System.out::println);
    }

    /** CPU nanoseconds of the live threads whose names match. */
    private static long cpu(Predicate<String> names) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && names.test(info.getThreadName())) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                if (t > 0) {
                    sum += t;
                }
            }
        }
        return sum;
    }

    // ------------------------------------------------------------------ idle connections

    private void idle() throws Exception {
        int port = intArg("port", 7100);
        int httpPort = intArg("http-port", 7101);
        int n = intArg("connections", 10_000);
        int seconds = intArg("seconds", 30);
        String pid = args.get("pid");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        List<SimAgent> agents = new ArrayList<>(n);
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SimAgent.Options o = new SimAgent.Options("idle-" + i, "", List.of(new InetSocketAddress("127.0.0.1", port)), null, 1000, 1000, false);
                agents.add(new SimAgent(group, o).start());
                if (i % 500 == 499) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // do not overflow the accept backlog
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (agents.stream().filter(SimAgent::isConnected).count() < n && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            }
            long connected = agents.stream().filter(SimAgent::isConnected).count();
            System.out.printf("%d of %d agents welcomed in %.1f s%n", connected, n, (System.nanoTime() - t0) / 1e9);
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            long still = agents.stream().filter(SimAgent::isConnected).count();
            long reconnects = agents.stream().mapToLong(a -> a.connections().size() - 1L).sum();
            System.out.printf("after %d s idle (heartbeats only): %d connected, %d reconnects; router reports ds_router_connections %.0f%n",
                    seconds, still, reconnects, Http.metric(httpPort, "ds_router_connections"));
            if (pid != null) {
                run("jcmd", pid, "GC.run");
                System.out.println(run("jcmd", pid, "GC.heap_info"));
                for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                    if (line.startsWith("VmRSS") || line.startsWith("VmHWM") || line.startsWith("Threads")) {
                        System.out.println("router " + line);
                    }
                }
            }
        } finally {
            agents.forEach(SimAgent::close);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }
}
