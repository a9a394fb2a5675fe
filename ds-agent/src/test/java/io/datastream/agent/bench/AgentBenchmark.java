package io.datastream.agent.bench;

import io.datastream.agent.testing.TestCluster;
import io.datastream.router.Router;
import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Agent benchmark (numbers, not assertions). The agent runs in its own JVM ({@code -Xmx128m
 * -XX:+UseSerialGC} unless --jvm says otherwise) so that its CPU time and RSS are its own.
 *
 * <pre>
 * --mode throughput  --files 8 --mb 256 --warmup-mb 128 --kind WEB_ACCESS --sink counting|router
 * --mode footprint   --files 4 --rate-mb 10 --seconds 60 --warmup 20[,180] --sink counting|router
 * --mode manyfiles   --files 100000 --sink counting
 * --mode hotpath     --files 8 --mb 64 --rounds 5
 * modes that start an agent: --compression-threads N, --linger-ms N, --max-bytes N, --fast-poll-ms N (the
 * agent's batch.compressionThreads, batch.lingerMs, batch.maxBytes, files.fastPollMs; each only when given)
 * </pre>
 */
public final class AgentBenchmark {
    private final Map<String, String> args = new HashMap<>();
    private final Path work;
    private final int agentHttpPort = TestCluster.freePort();

    private AgentBenchmark(String[] argv) throws Exception {
        for (int i = 0; i + 1 < argv.length; i += 2) {
            args.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        work = Files.createTempDirectory(Path.of(arg("dir", System.getProperty("java.io.tmpdir"))), "agent-bench-");
    }

    private String arg(String k, String def) {
        return args.getOrDefault(k, def);
    }

    private int intArg(String k, int def) {
        return Integer.parseInt(arg(k, String.valueOf(def)));
    }

    public static void main(String[] argv) throws Exception {
        AgentBenchmark b = new AgentBenchmark(argv);
        switch (b.arg("mode", "throughput")) {
            case "throughput" -> b.throughput();
            case "footprint" -> b.footprint();
            case "manyfiles" -> b.manyFiles();
            case "hotpath" -> b.hotPath();
            default -> throw new IllegalArgumentException("--mode throughput|footprint|manyfiles|hotpath");
        }
        System.exit(0);
    }

    /** Where the agent sends: a counting sink, or a real router writing to an embedded Kafka broker. */
    private interface Target extends AutoCloseable {
        String address();

        LongSupplier sourceBytes();

        LongSupplier records();

        String describe();

        @Override
        void close();
    }

    private Target target() throws Exception {
        if (arg("sink", "counting").equals("counting")) {
            CountingSink s = new CountingSink();
            return new Target() {
                public String address() {
                    return "127.0.0.1:" + s.port();
                }

                public LongSupplier sourceBytes() {
                    return s.sourceBytes::get;
                }

                public LongSupplier records() {
                    return s.records::get;
                }

                public String describe() {
                    return "counting protocol sink (acks at once, no Kafka)";
                }

                public void close() {
                    s.close();
                }
            };
        }
        TestCluster cluster = new TestCluster();
        Router router = cluster.router("bench-router", 0, "");
        return new Target() {
            public String address() {
                return "127.0.0.1:" + router.port();
            }

            public LongSupplier sourceBytes() {
                return () -> scrape("ds_agent_acked_bytes_total{task=\"bench\"}");
            }

            public LongSupplier records() {
                return () -> scrape("ds_agent_lines_acked_total{task=\"bench\"}");
            }

            public String describe() {
                return "real router (ds-router) + embedded Kafka broker, same JVM";
            }

            public void close() {
                cluster.close();
            }
        };
    }

    private Path config(String routers, String glob, String extra) throws Exception {
        Path cfg = work.resolve("agent.yaml");
        Files.writeString(cfg, "id: bench-agent\nhost: bench\ndataDir: " + work.resolve("data") + "\n"
                + "http: {host: 127.0.0.1, port: " + agentHttpPort + "}\nrouters: [\"" + routers + "\"]\n"
                + "paths: {allow: [\"" + work.toAbsolutePath() + "\"]}\n"
                + (arg("sink", "counting").equals("router") && arg("mode", "").equals("throughput") ? "status: {intervalMs: 200}\n" : "")
                + extra
                + (args.containsKey("fast-poll-ms") ? "files: {fastPollMs: " + intArg("fast-poll-ms", 20) + "}\n" : "")
                + batchOptions()
                + "tasks:\n  - id: bench\n    paths: [\"" + glob + "\"]\n    topic: bench\n    codec: " + arg("codec", "lz4") + "\n");
        return cfg;
    }

    /** The agent's batch options from --compression-threads N, --linger-ms N and --max-bytes N (each only when given). */
    private String batchOptions() {
        List<String> b = new ArrayList<>();
        if (args.containsKey("compression-threads")) {
            b.add("compressionThreads: " + intArg("compression-threads", 1));
        }
        if (args.containsKey("linger-ms")) {
            b.add("lingerMs: " + intArg("linger-ms", 100));
        }
        if (args.containsKey("max-bytes")) {
            b.add("maxBytes: " + intArg("max-bytes", 524_288));
        }
        return b.isEmpty() ? "" : "batch: {" + String.join(", ", b) + "}\n";
    }

    /** A value from the agent's /metrics, or 0 when it cannot be read yet. */
    private long scrape(String series) {
        try {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + agentHttpPort + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            for (String line : r.body().split("\n")) {
                if (line.startsWith(series + " ")) {
                    return (long) Double.parseDouble(line.substring(series.length() + 1).trim());
                }
            }
        } catch (Exception e) {
            // not up yet
        }
        return 0;
    }

    private List<String> jvm() {
        return List.of(arg("jvm", "-Xmx128m -XX:+UseSerialGC").split(" "));
    }

    /** Environment of the agent process, e.g. --env MALLOC_ARENA_MAX=2. */
    private Map<String, String> env() {
        Map<String, String> m = new HashMap<>();
        String e = arg("env", "");
        for (String kv : e.isEmpty() ? new String[0] : e.split(",")) {
            String[] p = kv.split("=", 2);
            m.put(p[0], p[1]);
        }
        return m;
    }

    private static void print(String fmt, Object... a) {
        System.out.println(String.format(Locale.ROOT, fmt, a));
    }

    /**
     * Pre-written logs read as fast as possible. With --warmup-mb N (default 128, 0 for none) the
     * agent first ships one warm-up file of N MiB per measured file; when all of it has arrived
     * the measured files (written beforehand outside the glob) are moved in, and the measured
     * window starts: its figures are the agent warmed up (JIT mostly done), printed beside the
     * whole run from the first batch, which includes the JIT's one-time work.
     */
    private void throughput() throws Exception {
        int files = intArg("files", 8);
        long perFile = Long.parseLong(arg("mb", "256")) << 20;
        long warmPerFile = Long.parseLong(arg("warmup-mb", "128")) << 20;
        LogKind kind = LogKind.valueOf(arg("kind", "WEB_ACCESS"));
        Path logs = Files.createDirectories(work.resolve("logs"));
        Path staged = Files.createDirectories(work.resolve("staged"));
        long warmTotal = 0;
        for (int i = 0; i < files && warmPerFile > 0; i++) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(logs.resolve("w" + i + ".log")), 1 << 20)) {
                warmTotal += LogGenerator.of(kind, 100 + i).writeTo(out, warmPerFile);
            }
        }
        long total = 0;
        long lines = 0;
        for (int i = 0; i < files; i++) {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(staged.resolve("f" + i + ".log")), 1 << 20)) {
                total += LogGenerator.of(kind, i).writeTo(out, perFile);
            }
        }
        for (int i = 0; i < files; i++) {
            byte[] all = Files.readAllBytes(staged.resolve("f" + i + ".log"));
            for (byte x : all) {
                if (x == '\n') {
                    lines++;
                }
            }
        }
        print("wrote %d files, %.1f MiB, %d lines of %s (avg %.0f bytes/line); warm-up before them: %d files, %.1f MiB",
                files, total / 1048576.0, lines, kind, total / (double) lines, warmTotal > 0 ? files : 0, warmTotal / 1048576.0);
        print("load average before: %s", loadAverage());
        print("batch.compressionThreads: %s", arg("compression-threads", "default (1)"));
        // lz4-java alone before and after the agent's run (the load moves it too); the ratio uses the mean
        double lz4Before = lz4AloneMbPerCpuSecond(fileBlocks(staged, files));
        try (Target t = target()) {
            Path cfg = config(t.address(), logs + "/*.log", "");
            long t0 = System.nanoTime();
            long deadline = t0 + 600_000_000_000L;
            int sleepMs = arg("sink", "counting").equals("counting") ? 20 : 200;
            try (AgentProcess agent = new AgentProcess(cfg, work.resolve("agent.out"), jvm(), env())) {
                Window run = null;
                if (warmTotal > 0) {
                    while (t.sourceBytes().getAsLong() < warmTotal && System.nanoTime() < deadline) {
                        if (run == null && t.sourceBytes().getAsLong() > 0) {
                            run = Window.start(agent);
                        }
                        Thread.sleep(sleepMs);
                    }
                    print("warm-up: %.1f MiB delivered in %.2f s from the first batch", warmTotal / 1048576.0,
                            run == null ? 0 : (System.nanoTime() - run.nanos) / 1e9);
                }
                // the measured files are read once here (this JVM's CPU), so that what the warm-up's reads pushed
                // out of the page cache is back in it: an agent tails lines just written, which are cached
                byte[] drop = new byte[1 << 20];
                for (int i = 0; i < files; i++) {
                    try (java.io.InputStream in = Files.newInputStream(staged.resolve("f" + i + ".log"))) {
                        while (in.read(drop) > 0) {
                            // only to have the pages cached
                        }
                    }
                }
                // with a warm-up the window starts when the files are moved in; without one, at the first batch
                Window measured = warmTotal > 0 ? Window.start(agent) : null;
                for (int i = 0; i < files; i++) {
                    Files.move(staged.resolve("f" + i + ".log"), logs.resolve("f" + i + ".log"));
                }
                long firstNanos = 0;
                long end = warmTotal + total;
                while (t.sourceBytes().getAsLong() < end && System.nanoTime() < deadline) {
                    if (firstNanos == 0 && t.sourceBytes().getAsLong() > warmTotal) {
                        firstNanos = System.nanoTime();
                        if (measured == null) {
                            measured = Window.start(agent);
                        }
                        if (run == null) {
                            run = measured;
                        }
                    }
                    Thread.sleep(sleepMs);
                }
                if (measured == null) {
                    throw new IllegalStateException("nothing arrived within 10 minutes; see " + work.resolve("agent.out"));
                }
                run = run == null ? measured : run;
                long endNanos = System.nanoTime();
                double gb = total / 1e9;
                double secs = (endNanos - firstNanos) / 1e9;
                print("target: %s", t.describe());
                print("delivered %.1f MiB, %d records in %.2f s from the first measured batch (%.2f s including agent JVM start and warm-up)",
                        (t.sourceBytes().getAsLong() - warmTotal) / 1048576.0, t.records().getAsLong(), secs, (endNanos - t0) / 1e9);
                print("throughput: %.0f MB/s, %.0f lines/s", total / 1e6 / secs, lines / secs);
                double cpu = agent.cpuSeconds();
                Map<String, Double> threads = agent.threadCpuSeconds();
                double steadyCpu = cpu - measured.cpu;
                double steadyJit = jit(cpu - measured.cpu, threads, measured.threads);
                double runCpu = cpu - run.cpu;
                double runJit = jit(cpu - run.cpu, threads, run.threads);
                double agentRate = total / 1e6 / steadyCpu;
                double runRate = (warmTotal + total) / 1e6 / runCpu;
                print("agent CPU: %.2f s since start; measured window %.2f s = %.2f CPU-s/GB; whole run from the first batch %.2f s = %.2f CPU-s/GB",
                        cpu, steadyCpu, steadyCpu / gb, runCpu, runCpu / ((warmTotal + total) / 1e9));
                print("agent RSS: %d MiB now, %d MiB peak", agent.statusKb("VmRSS") / 1024, agent.statusKb("VmHWM") / 1024);
                printThreads(threads, measured.threads, gb, "agent CPU-s per GB per thread, measured window");
                printThreads(agent.threadCpuSeconds(false), measured.sys, gb, "  of which system (kernel) time");
                printThreads(threads, run.threads, (warmTotal + total) / 1e9, "agent CPU-s per GB per thread, whole run");
                print("JIT compiler threads: %.2f CPU-s in the measured window, %.2f in the whole run", steadyJit, runJit);
                // per-batch methods (a few thousand calls per GB) reach C2 late: the JIT may still be busy in the window
                print("agent MB per CPU-second: measured window (warmed up) %.0f, without the JIT threads %.0f; whole run with the JIT's warm-up %.0f, without the JIT threads %.0f",
                        agentRate, total / 1e6 / (steadyCpu - steadyJit), runRate, (warmTotal + total) / 1e6 / (runCpu - runJit));
                print("load average after: %s", loadAverage());
                double lz4After = lz4AloneMbPerCpuSecond(fileBlocks(logs, files));
                double lz4 = (lz4Before + lz4After) / 2;
                print("lz4-java alone on the same lines (512 KiB blocks of the written files, one thread, warmed up): %.0f MB per CPU-second (%.0f before the agent ran, %.0f after)",
                        lz4, lz4Before, lz4After);
                if (arg("codec", "lz4").equals("lz4")) {
                    print("agent / lz4-java alone: measured window %.0f %% (without the JIT threads %.0f %%), whole run %.0f %% (issue #19's limit: at least 60 %%, i.e. %.0f MB per CPU-second in this run)",
                            100 * agentRate / lz4, 100 * total / 1e6 / (steadyCpu - steadyJit) / lz4, 100 * runRate / lz4, 0.6 * lz4);
                } else if (arg("codec", "lz4").equals("none")) {
                    print("agent with codec none: measured window %.0f, whole run %.0f MB per CPU-second (issue #19's limit: at least 1000; lz4-java alone above for scale)",
                            agentRate, runRate);
                }
            }
        }
        deleteTree(work); // the logs are GiBs
    }

    /** The agent's CPU (whole process and per thread) at the start of a window. */
    private record Window(long nanos, double cpu, Map<String, Double> threads, Map<String, Double> sys) {
        static Window start(AgentProcess agent) throws java.io.IOException {
            return new Window(System.nanoTime(), agent.cpuSeconds(), agent.threadCpuSeconds(), agent.threadCpuSeconds(false));
        }
    }

    /**
     * CPU-seconds of the JIT compiler threads since {@code threads0}: the process's CPU in the window
     * ({@code processCpu}) less that of every other thread alive at its end. Not the compiler threads'
     * own deltas: the JVM starts and stops compiler threads as the queue grows and shrinks, and a
     * thread that has ended is gone from {@code /proc/<pid>/task} with its CPU time (the sum of the
     * deltas went below zero). The agent's other threads live as long as it does.
     */
    private static double jit(double processCpu, Map<String, Double> threads, Map<String, Double> threads0) {
        double others = 0;
        for (Map.Entry<String, Double> e : threads.entrySet()) {
            if (!e.getKey().startsWith("C1 Compiler") && !e.getKey().startsWith("C2 Compiler")) {
                others += e.getValue() - threads0.getOrDefault(e.getKey(), 0.0);
            }
        }
        return Math.max(0, processCpu - others);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    private static void printThreads(Map<String, Double> threads, Map<String, Double> threads0, double of, String title) {
        StringBuilder per = new StringBuilder();
        threads.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0.0)))
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> per.append(String.format(Locale.ROOT, ", %s %.2f", e.getKey(), e.getValue() / of)));
        print(title + ": %s", per.length() == 0 ? "-" : per.substring(2));
    }

    /** Up to 64 blocks of 512 KiB (32 MiB) read from the start of the benchmark's log files, round robin. */
    private static byte[][] fileBlocks(Path logs, int files) throws java.io.IOException {
        List<byte[]> blocks = new ArrayList<>();
        List<java.io.InputStream> ins = new ArrayList<>();
        try {
            for (int i = 0; i < files; i++) {
                ins.add(Files.newInputStream(logs.resolve("f" + i + ".log")));
            }
            for (int round = 0; blocks.size() < 64 && !ins.isEmpty(); round++) {
                java.io.InputStream in = ins.get(round % ins.size());
                byte[] b = in.readNBytes(512 << 10);
                if (b.length < (512 << 10)) {
                    ins.remove(in);
                    in.close();
                    continue;
                }
                blocks.add(b);
            }
        } finally {
            for (java.io.InputStream in : ins) {
                in.close();
            }
        }
        return blocks.toArray(new byte[0][]);
    }

    /** A writer appending at a steady rate; the agent's CPU and memory over a window. */
    private void footprint() throws Exception {
        int files = intArg("files", 4);
        double rate = Double.parseDouble(arg("rate-mb", "10")) * 1e6;
        int seconds = intArg("seconds", 60);
        Path logs = Files.createDirectories(work.resolve("logs"));
        try (Target t = target()) {
            Path cfg = config(t.address(), logs + "/*.log", "");
            List<OutputStream> outs = new ArrayList<>();
            List<LogGenerator> gens = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                outs.add(Files.newOutputStream(logs.resolve("f" + i + ".log")));
                gens.add(LogGenerator.of(LogKind.WEB_ACCESS, i));
            }
            AtomicLong written = new AtomicLong();
            java.util.concurrent.atomic.AtomicReference<Exception> writerFailed = new java.util.concurrent.atomic.AtomicReference<>();
            Thread writer = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    int f = 0;
                    while (!Thread.currentThread().isInterrupted()) {
                        double should = (System.nanoTime() - start) / 1e9 * rate;
                        if (written.get() < should) {
                            byte[] chunk = gens.get(f).generate(16 << 10);
                            outs.get(f).write(chunk);
                            written.addAndGet(chunk.length);
                            f = (f + 1) % files;
                        } else {
                            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
                        }
                    }
                } catch (java.io.InterruptedIOException e) {
                    // stopped
                } catch (Exception e) {
                    writerFailed.set(e); // printed: a window without writes measures nothing
                }
            }, "bench-writer");
            writer.start();
            try (AgentProcess agent = new AgentProcess(cfg, work.resolve("agent.out"), jvm(), env())) {
                long started = System.nanoTime();
                // --warmup 20 (default) or several starts, e.g. 20,180: one window of --seconds after each,
                // so that the first minutes (the JIT still compiling) and the steady state show side by side
                for (String w : arg("warmup", "20").split(",")) {
                    long startAt = started + Long.parseLong(w.trim()) * 1_000_000_000L;
                    long sleep = (startAt - System.nanoTime()) / 1_000_000L;
                    if (sleep > 0) {
                        Thread.sleep(sleep); // warm-up: JIT, first files
                    }
                    footprintWindow(agent, t, written, seconds, w.trim());
                    if (writerFailed.get() != null) {
                        print("the writer failed: %s", writerFailed.get());
                    }
                }
                if (arg("codec", "lz4").equals("lz4")) {
                    double lz4 = lz4AloneMbPerCpuSecond(generatedBlocks());
                    print("lz4-java alone (same kind of lines, 512 KiB blocks, one thread): %.0f MB per CPU-second = %.1f %% of one core at %.0f MB/s",
                            lz4, 100 * rate / 1e6 / lz4, rate / 1e6);
                }
            } finally {
                writer.interrupt();
                writer.join();
                for (OutputStream o : outs) {
                    o.close();
                }
            }
        }
    }

    /** One footprint window of {@code seconds}: the agent's CPU (per thread), RSS, batches sent, load average. */
    private void footprintWindow(AgentProcess agent, Target t, AtomicLong written, int seconds, String warmup) throws Exception {
        String load0 = loadAverage();
        double cpu0 = agent.cpuSeconds();
        Map<String, Double> threads0 = agent.threadCpuSeconds();
        long src0 = t.sourceBytes().getAsLong();
        long batches0 = scrape("ds_agent_batches_sent_total{task=\"bench\"}");
        long w0 = written.get();
        long t0 = System.nanoTime();
        long maxRss = 0;
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            maxRss = Math.max(maxRss, agent.statusKb("VmRSS"));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double cpu = agent.cpuSeconds() - cpu0;
        Map<String, Double> threads = agent.threadCpuSeconds();
        long batches = scrape("ds_agent_batches_sent_total{task=\"bench\"}") - batches0;
        print("window after %s s of warm-up (load average %s -> %s)", warmup, load0, loadAverage());
        print("target: %s", t.describe());
        print("written %.2f MB/s, delivered %.2f MB/s over %.0f s; %.1f batches/s sent (%.0f KB each)", (written.get() - w0) / 1e6 / secs,
                t.sourceBytes().getAsLong() < 0 ? Double.NaN : (t.sourceBytes().getAsLong() - src0) / 1e6 / secs, secs,
                batches / secs, batches == 0 ? Double.NaN : (written.get() - w0) / 1e3 / batches);
        print("agent CPU: %.1f %% of one core (%.2f CPU-s in %.0f s)", 100 * cpu / secs, cpu, secs);
        print("agent RSS: %d MiB max during the window, %d MiB peak (VmHWM), %d MiB now", maxRss / 1024, agent.statusKb("VmHWM") / 1024,
                agent.statusKb("VmRSS") / 1024);
        printThreads(threads, threads0, secs / 100, "agent CPU per thread (%% of one core)");
    }

    /** 64 blocks of 512 KiB of generated WEB_ACCESS lines. */
    private static byte[][] generatedBlocks() {
        LogGenerator gen = LogGenerator.of(LogKind.WEB_ACCESS, 3);
        byte[][] blocks = new byte[64][];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = gen.generate(512 << 10);
        }
        return blocks;
    }

    /** lz4-java's fast compressor alone on {@code blocks}: MB of input per CPU-second of this thread. */
    private static double lz4AloneMbPerCpuSecond(byte[][] blocks) {
        net.jpountz.lz4.LZ4Compressor lz4 = net.jpountz.lz4.LZ4Factory.fastestInstance().fastCompressor();
        byte[] out = new byte[lz4.maxCompressedLength(1 << 20)];
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int round = 0; round < 3; round++) { // warm-up
            for (byte[] b : blocks) {
                sink += lz4.compress(b, 0, b.length, out, 0, out.length);
            }
        }
        long bytes = 0;
        long cpu0 = mx.getCurrentThreadCpuTime();
        for (int round = 0; round < 10; round++) {
            for (byte[] b : blocks) {
                sink += lz4.compress(b, 0, b.length, out, 0, out.length);
                bytes += b.length;
            }
        }
        double secs = (mx.getCurrentThreadCpuTime() - cpu0) / 1e9;
        return sink == 0 ? 0 : bytes / 1e6 / secs;
    }

    /**
     * The tailer's hot path alone, in this JVM on one thread: {@link RecordReader} cutting the
     * files into a {@link BatchBuilder} the way the tailer does (512 KiB batches, 2 MiB read
     * budget per turn), then each stage added in turn, so that its cost shows; beside lz4-java
     * alone on the same lines. MB of log lines per CPU-second of this thread, best of the rounds
     * after a warm-up round (no JIT, GC or shipping in the figures: see throughput mode for those).
     */
    private void hotPath() throws Exception {
        int files = intArg("files", 8);
        long perFile = Long.parseLong(arg("mb", "64")) << 20;
        int rounds = intArg("rounds", 5);
        Path logs = Files.createDirectories(work.resolve("logs"));
        long total = 0;
        List<Path> paths = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            Path p = logs.resolve("f" + i + ".log");
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(p), 1 << 20)) {
                total += LogGenerator.of(LogKind.WEB_ACCESS, i).writeTo(out, perFile);
            }
            paths.add(p);
        }
        print("wrote %d files, %.1f MiB of WEB_ACCESS lines; load average %s", files, total / 1048576.0, loadAverage());
        try (HotPath hp = new HotPath(512 << 10)) {
            for (HotPath.Stage stage : HotPath.Stage.values()) {
                double best = 0;
                for (int r = 0; r <= rounds; r++) {
                    double mbps = hp.run(paths, stage);
                    best = r == 0 ? 0 : Math.max(best, mbps);
                }
                print("%-44s %6.0f MB per CPU-second", stage.describe(), best);
            }
            double[] best = {0, 0};
            for (int r = 0; r <= rounds; r++) {
                double[] x = hp.runPooled(paths, 1);
                if (r > 0 && x[1] > best[1]) {
                    best = x;
                }
            }
            print("%-44s %6.0f MB per CPU-second of the JVM, %.0f MB/s wall", "lz4 finished on a CompressionPool worker (1)", best[1], best[0]);
        }
        double lz4 = lz4AloneMbPerCpuSecond(fileBlocks(logs, files));
        print("lz4-java alone on the same lines (512 KiB blocks)   %6.0f MB per CPU-second; load average %s", lz4, loadAverage());
        deleteTree(work);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Many small files matched by one glob: time to deliver them all, memory, handles. */
    private void manyFiles() throws Exception {
        int files = intArg("files", 100_000);
        Path logs = Files.createDirectories(work.resolve("logs"));
        LogGenerator gen = LogGenerator.of(LogKind.WEB_ACCESS, 7);
        long total = 0;
        for (int i = 0; i < files; i++) {
            byte[] b = gen.generate(1024);
            Files.write(logs.resolve("f" + i + ".log"), b);
            total += b.length;
        }
        print("wrote %d files, %.1f MiB", files, total / 1048576.0);
        try (Target t = target()) {
            Path cfg = config(t.address(), logs + "/*.log", "discovery: {maxFilesPerTask: " + Math.max(files, 100_000) + "}\n");
            long t0 = System.nanoTime();
            try (AgentProcess agent = new AgentProcess(cfg, work.resolve("agent.out"), jvm(), env())) {
                long maxRss = 0;
                while (t.sourceBytes().getAsLong() < total && System.nanoTime() - t0 < 900_000_000_000L) {
                    Thread.sleep(200);
                    maxRss = Math.max(maxRss, agent.statusKb("VmRSS"));
                }
                double secs = (System.nanoTime() - t0) / 1e9;
                print("target: %s", t.describe());
                print("delivered %.1f MiB of %d files in %.1f s (agent JVM start included); agent CPU %.1f s",
                        t.sourceBytes().getAsLong() / 1048576.0, files, secs, agent.cpuSeconds());
                print("agent RSS: %d MiB max, %d MiB peak (VmHWM)", maxRss / 1024, agent.statusKb("VmHWM") / 1024);
                Thread.sleep(3000);
                print("agent RSS after settling: %d MiB", agent.statusKb("VmRSS") / 1024);
            }
        }
    }
}
