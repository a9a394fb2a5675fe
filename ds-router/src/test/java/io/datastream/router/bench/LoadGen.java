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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Router benchmark (numbers, not a test). Two modes:
 *
 * <pre>
 * throughput  [--agents 4] [--seconds 20] [--warmup 5] [--partitions 4] [--batch-kib 256] [--codec zstd]
 *             [--workers 2] [--queue 2048] [--threads y] [--route-mode envelope|lines] [--rounds 3] [--prime 10]
 *             [--producer linger.ms=20,batch.size=524288]   (more kafka.properties, for the router and the plain loop)
 *             [--lines-headers ds.agent,ds.offset]   (kafka.linesHeaders, for the router and the plain loop)
 *             [--kafka host:port]     (default: an embedded KRaft broker in this JVM)
 * idle        --port P --http-port H [--connections 10000] [--seconds 30] [--pid ROUTER_PID]
 * </pre>
 *
 * Throughput: simulated agents (in this JVM) send realistic log batches through an in-process
 * router (envelope mode) into Kafka; a plain KafkaProducer loop sends the same batch bytes to the
 * same broker. After one unmeasured pass of each ({@code --prime} seconds, so that the JIT has
 * compiled both), the two alternate for {@code --rounds} rounds (router then plain, then plain
 * then router, ...), each phase {@code --warmup} then {@code --seconds} measured. It prints, per
 * round, MB/s on the wire, the router/plain ratio and each path's own CPU-seconds per GB on the
 * wire, then the medians, then CPU per GB by thread group: the router's event loops, sender
 * thread, producer network thread and other threads; the plain loop's sending thread (main) and
 * network thread; the simulated agents; the broker (every other Java thread); and the JVM's own
 * threads (GC, JIT: the process CPU beyond its Java threads). A path's own CPU is its groups only:
 * agents, broker and JVM are shown, not counted.
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
            // retention checked every 5 s (topic limits below): a run writes tens of GB, more than /tmp may hold
            embedded = EmbeddedKafka.builder().maxMessageBytes(8 << 20).property("log.retention.check.interval.ms", "5000").build().start();
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
            if (args.containsKey("lines-headers")) {
                yaml = yaml.replace("kafka: {", "kafka: {linesHeaders: [" + args.get("lines-headers") + "], ");
            }
            RouterConfig cfg = RouterConfig.fromYaml(yaml);
            int rounds = intArg("rounds", 3);
            int prime = intArg("prime", 10);
            if (prime > 0) {
                // one unmeasured pass of each path first: the JIT compiles both before any round is measured
                runRouter(cfg, routeMode, perAgent, 0, prime);
                runPlain(cfg, routeMode, all, 0, prime);
                System.out.println("primed: " + prime + " s of each path, not measured");
            }
            List<Phase[]> results = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                // ABBA: odd rounds run the plain loop first, so a drift in the machine's load favours neither
                Phase router;
                Phase plain;
                if (r % 2 == 0) {
                    router = runRouter(cfg, routeMode, perAgent, warmup, seconds);
                    plain = runPlain(cfg, routeMode, all, warmup, seconds);
                } else {
                    plain = runPlain(cfg, routeMode, all, warmup, seconds);
                    router = runRouter(cfg, routeMode, perAgent, warmup, seconds);
                }
                results.add(new Phase[] {router, plain});
                System.out.printf("round %d: router %.1f MB/s, plain %.1f MB/s (wire): %.0f%%%n", r + 1, router.wireMBps(), plain.wireMBps(),
                        100.0 * router.wireMBps() / plain.wireMBps());
            }
            System.out.println();
            System.out.println("route mode " + routeMode.configName() + (routeMode == RouteMode.LINES
                    ? String.format(", %.0f lines per batch", (double) linesOf(all.batches()) / all.batches().size()) : ""));
            report(results, all.ratio());
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
            // at most ~320 MiB per partition on disk; deleted segments go at once
            kafka.createTopic(name, partitions, 1, Map.of("retention.bytes", String.valueOf(256L << 20), "segment.bytes",
                    String.valueOf(64 << 20), "file.delete.delay.ms", "1000"));
        }
    }

    /** Thread groups whose CPU is reported, in table order. */
    private static final List<String> GROUPS = List.of("router event loops", "router sender", "router network", "router other",
            "plain sender", "plain network", "agents", "broker", "JVM (GC, JIT)");

    /** The group a thread's CPU counts to (see the class comment). */
    private static String group(String name) {
        if (name.startsWith("kafka-producer-network-thread | ds-router-plain")) {
            return "plain network";
        } else if (name.startsWith("kafka-producer-network-thread | ds-router-")) {
            return "router network";
        } else if (name.startsWith("ds-router-bench-worker")) {
            return "router event loops";
        } else if (name.startsWith("ds-router-bench-sender")) {
            return "router sender";
        } else if (name.startsWith("ds-router-bench")) {
            return "router other";
        } else if (name.startsWith("sim-agent")) {
            return "agents";
        } else if (name.equals("main")) {
            return "plain sender"; // the plain loop runs on main; during a router phase main only sleeps
        }
        return "broker"; // the embedded KRaft broker's threads and anything else in the JVM
    }

    /** CPU snapshot: each Java thread's CPU nanoseconds by id (with its group), and the process's. */
    private record CpuSnapshot(Map<Long, Long> threads, Map<Long, String> groups, long process) {
        static CpuSnapshot take() {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            Map<Long, Long> t = new HashMap<>();
            Map<Long, String> g = new HashMap<>();
            for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
                if (info != null) {
                    t.put(info.getThreadId(), Math.max(0, mx.getThreadCpuTime(info.getThreadId())));
                    g.put(info.getThreadId(), group(info.getThreadName()));
                }
            }
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return new CpuSnapshot(t, g, os.getProcessCpuTime());
        }

        /** CPU seconds by group since {@code before}; what the process spent beyond its Java threads counts as "JVM (GC, JIT)". */
        Map<String, Double> since(CpuSnapshot before) {
            Map<String, Double> m = new java.util.LinkedHashMap<>();
            GROUPS.forEach(n -> m.put(n, 0.0));
            long javaThreads = 0;
            for (var e : threads.entrySet()) {
                long d = e.getValue() - before.threads.getOrDefault(e.getKey(), 0L);
                javaThreads += d;
                m.merge(groups.get(e.getKey()), d / 1e9, Double::sum);
            }
            m.put("JVM (GC, JIT)", Math.max(0, process - before.process - javaThreads) / 1e9);
            return m;
        }
    }

    /** One measured phase (router or plain loop). */
    record Phase(String name, long bytes, long batches, double seconds, Map<String, Double> cpu, String load) {
        double wireMBps() {
            return bytes / seconds / 1e6;
        }

        /** CPU-seconds per GB on the wire of the groups whose names start with {@code prefix}. */
        double perGb(String prefix) {
            return cpu.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(Map.Entry::getValue).sum() / (bytes / 1e9);
        }

        /** The path's own CPU: the router's threads, or the plain loop's sending and network threads. */
        double ownPerGb() {
            return perGb(name);
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static void report(List<Phase[]> rounds, double ratio) {
        System.out.println();
        System.out.println("| round | load avg (router; plain) | router MB/s wire | plain MB/s wire | router / plain | router CPU-s/GB | plain CPU-s/GB"
                + " | plain / router CPU per GB |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        List<Double> ratios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int i = 0; i < rounds.size(); i++) {
            Phase r = rounds.get(i)[0];
            Phase p = rounds.get(i)[1];
            ratios.add(r.wireMBps() / p.wireMBps());
            cpuRatios.add(p.ownPerGb() / r.ownPerGb());
            System.out.printf("| %d%s | %s; %s | %.1f | %.1f | %.0f %% | %.2f | %.2f | %.0f %% |%n", i + 1, i % 2 == 0 ? "" : " (plain first)", r.load(),
                    p.load(), r.wireMBps(), p.wireMBps(), 100 * ratios.get(i), r.ownPerGb(), p.ownPerGb(), 100 * cpuRatios.get(i));
        }
        System.out.printf("%nmedian router / plain: throughput %.0f %%, CPU per GB (plain / router) %.0f %%; divide CPU per GB by %.2f for per GB of log lines%n",
                100 * median(ratios), 100 * median(cpuRatios), ratio);
        System.out.println();
        System.out.println("CPU-s per GB on the wire, by thread group (router phase | plain phase):");
        System.out.println("| round | " + String.join(" | ", GROUPS) + " |");
        System.out.println("|---|" + "---|".repeat(GROUPS.size()));
        for (int i = 0; i < rounds.size(); i++) {
            for (Phase ph : rounds.get(i)) {
                StringBuilder b = new StringBuilder("| " + (i + 1) + " " + ph.name() + " |");
                for (String g : GROUPS) {
                    b.append(String.format(" %.2f |", ph.perGb(g)));
                }
                System.out.println(b);
            }
        }
    }

    private Phase runRouter(RouterConfig cfg, RouteMode mode, List<Templates> perAgent, int warmup, int seconds) throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(Math.max(1, Math.min(2, perAgent.size())),
                new io.netty.util.concurrent.DefaultThreadFactory("sim-agent"), NioIoHandler.newFactory());
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
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(warmup));
            long b0 = agents.stream().mapToLong(SimAgent::okBytes).sum();
            long n0 = agents.stream().mapToLong(SimAgent::acked).sum();
            String load0 = loadAverage();
            CpuSnapshot c0 = CpuSnapshot.take();
            Map<Long, Long> threads0 = threadCpu();
            long t0 = System.nanoTime();
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(seconds));
            long b1 = agents.stream().mapToLong(SimAgent::okBytes).sum();
            long n1 = agents.stream().mapToLong(SimAgent::acked).sum();
            CpuSnapshot c1 = CpuSnapshot.take();
            double s = (System.nanoTime() - t0) / 1e9;
            String load = load0 + "-" + loadAverage();
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
            return new Phase("router", b1 - b0, n1 - n0, s, c1.since(c0), load);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private Phase runPlain(RouterConfig cfg, RouteMode mode, Templates all, int warmup, int seconds) throws Exception {
        Map<String, Object> props = ProducerSettings.forMode("plain", cfg.kafka(), cfg.pool(), cfg.limits(), mode);
        AtomicLong bytes = new AtomicLong();
        AtomicLong count = new AtomicLong();
        List<byte[]> keys = new ArrayList<>();
        List<List<ProducerRecord<byte[], byte[]>>> lineRecords = new ArrayList<>();
        for (byte[] b : all.batches()) {
            io.datastream.protocol.envelope.Envelope e = io.datastream.protocol.envelope.Envelope.parse(b);
            byte[] task = e.batch().taskId().getBytes(StandardCharsets.UTF_8);
            byte[] key = ByteBuffer.allocate(task.length + 8).put(task).putLong(e.batch().fingerprint()).array();
            keys.add(key);
            if (mode == RouteMode.LINES) {
                lineRecords.add(lineRecords(e.batch(), key, cfg.kafka().linesHeaders()));
            }
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmup);
            long b0 = 0;
            long n0 = 0;
            CpuSnapshot c0 = null;
            String load0 = "";
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
                    load0 = loadAverage();
                    c0 = CpuSnapshot.take();
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
            CpuSnapshot c1 = CpuSnapshot.take();
            double s = (System.nanoTime() - t0) / 1e9;
            String load = load0 + "-" + loadAverage();
            printThreads("plain run", threads0);
            printProducer("ds-router-plain-" + mode.configName());
            return new Phase("plain", b1 - b0, n1 - n0, s, c1.since(c0), load);
        }
    }

    /**
     * The records lines mode makes of a batch (bytes and the headers {@code names} selects, in the router's order, see
     * router.md), built once.
     */
    private static List<ProducerRecord<byte[], byte[]>> lineRecords(io.datastream.protocol.batch.Batch b, byte[] key, List<String> names)
            throws Exception {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (io.datastream.protocol.codec.CodecSet codecs = new io.datastream.protocol.codec.CodecSet();
             io.datastream.protocol.batch.RecordCursor c = b.openRecords(codecs, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)) {
            while (c.next()) {
                Map<String, String> all = new java.util.LinkedHashMap<>();
                all.put(LineHeaders.TASK, b.taskId());
                all.put(LineHeaders.AGENT, b.agentId());
                all.put(LineHeaders.HOST, b.host());
                all.put(LineHeaders.PATH, b.path());
                all.put(LineHeaders.FINGERPRINT, String.format("%016x", b.fingerprint()));
                all.put(LineHeaders.OFFSET, Long.toString(c.offset()));
                List<org.apache.kafka.common.header.Header> h = new ArrayList<>();
                all.forEach((k, v) -> {
                    if (names.contains(k)) {
                        h.add(header(k, v));
                    }
                });
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
