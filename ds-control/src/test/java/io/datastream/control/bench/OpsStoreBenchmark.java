package io.datastream.control.bench;

import io.datastream.control.ControlConfig;
import io.datastream.control.ControlServer;
import io.datastream.control.ops.audit.Auditor;
import io.datastream.control.ops.store.Counter;
import io.datastream.control.ops.store.Counts;
import io.datastream.control.ops.store.Ingest;
import io.datastream.control.ops.store.OpsStore;
import io.datastream.control.ops.store.Report;
import io.datastream.control.ops.store.Step;
import io.datastream.control.ops.store.StoreSettings;
import io.datastream.control.ops.store.Tier;
import io.datastream.protocol.report.MinuteLedger;
import io.datastream.protocol.report.ReportBody;
import io.datastream.protocol.report.ReportCount;
import io.datastream.protocol.report.ReportSender;
import io.datastream.protocol.report.ReportSource;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Metrics store benchmark (numbers, not a test): {@code --agents} simulated agents each report one
 * minute of one task every simulated minute, for {@code --minutes} minutes, into a real SQLite
 * file through {@link OpsStore#ingest} (the writer thread is what limits); then the same reports
 * over HTTP to a ControlServer for one minute ({@code --http-threads} clients); then 24 hours of
 * one task (routers, sink and {@code --day-agents} agents per minute) and the p99 of a task's
 * last-24-hours series and audit; last, one push per agent as the agents build it
 * ({@code MinuteLedger} and {@code ReportBody}, {@code --push-minutes} minutes each) over HTTP.
 *
 * <pre>
 * mvn -B -o -q -pl ds-control test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -Xmx2g -Dlog4j2.configurationFile=ds-control/target/test-classes/log4j2-test.xml \
 *      -cp ds-control/target/test-classes:ds-control/target/classes:$(cat ds-control/target/bench.cp) \
 *      io.datastream.control.bench.OpsStoreBenchmark --agents 20000 --minutes 10
 * </pre>
 */
public final class OpsStoreBenchmark {
    public static void main(String[] argv) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < argv.length; i += 2) {
            a.put(argv[i].replaceFirst("^--", ""), argv[i + 1]);
        }
        int agents = Integer.parseInt(a.getOrDefault("agents", "20000"));
        int minutes = Integer.parseInt(a.getOrDefault("minutes", "10"));
        int tasks = Integer.parseInt(a.getOrDefault("tasks", "1"));
        int dayAgents = Integer.parseInt(a.getOrDefault("day-agents", "50"));
        int httpThreads = Integer.parseInt(a.getOrDefault("http-threads", "8"));
        int pushMinutes = Integer.parseInt(a.getOrDefault("push-minutes", "2"));
        Path dir = Files.createTempDirectory("ds-ops-bench");
        long start = Math.floorDiv(System.currentTimeMillis(), 60_000L) - minutes - 2;
        Clock clock = Clock.fixed(Instant.ofEpochSecond((start + minutes + 2) * 60), ZoneOffset.UTC);

        String sample = reportJson("agent-web-01234", start, "nginx-access");
        System.out.printf("one agent report (1 minute, 1 task, typical counts): %d bytes of JSON%n", sample.getBytes(StandardCharsets.UTF_8).length);

        Path file = dir.resolve("metrics.db");
        StoreSettings settings = new StoreSettings(file, 7, 90, StoreSettings.DEFAULT_MAX_BYTES, 65_536);
        try (OpsStore store = OpsStore.open(settings, clock)) {
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            long rows0 = store.rowsWritten();
            for (int m = 0; m < minutes; m++) {
                long mt = System.nanoTime();
                List<CompletableFuture<Integer>> pending = new ArrayList<>();
                for (int i = 0; i < agents; i++) {
                    Ingest in;
                    while ((in = store.ingest(agentReport(i, start + m, "task-" + (i % tasks)))).outcome() == Ingest.Outcome.QUEUE_FULL) {
                        pending.get(pending.size() - 1).join(); // the queue is full: wait for the writer (benchmark only)
                    }
                    pending.add(in.written());
                }
                CompletableFuture.allOf(pending.toArray(new CompletableFuture[0])).join();
                System.out.printf("minute %d: %d reports in %.2f s%n", m, agents, (System.nanoTime() - mt) / 1e9);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long rows = store.rowsWritten() - rows0;
            double cpuSecs = (cpu() - cpu0) / 1e9;
            long bytes = Files.size(file) + sizeOr0(dir.resolve("metrics.db-wal"));
            long used = store.usedBytes();
            System.out.printf("in-process ingest: %d reports in %.1f s = %.0f reports/s, %.0f rows/s (%d rows: per-source + per-task);"
                            + " process CPU %.1f s = %.1f%% of one core per agent-minute load of %d agents%n",
                    (long) agents * minutes, secs, agents * minutes / secs, rows / secs, rows, cpuSecs,
                    100.0 * cpuSecs / (minutes * 60.0), agents);
            System.out.printf("database: %d bytes in use, file+wal %d bytes after %d minutes -> %.2f GiB per day at %d agents (%.0f bytes per agent-minute)%n",
                    used, bytes, minutes, used / (double) minutes * 1440 / (1L << 30), agents, used / (double) minutes / agents);

            // a task's last minutes, with all agents in it
            Histogram h = new Histogram(3);
            for (int i = 0; i < 200; i++) {
                long q = System.nanoTime();
                store.series("task-0", null, Step.MINUTE, start, start + minutes);
                h.recordValue((System.nanoTime() - q) / 1000);
            }
            System.out.printf("series of task-0 over the %d minutes of %d agents: p50 %.2f ms, p99 %.2f ms%n", minutes, agents / tasks,
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0);
        }

        // 24 hours of one task, then its last-24-hours series and audit
        Path dayFile = dir.resolve("day.db");
        long dayStart = start - 1440;
        Clock dayClock = Clock.fixed(Instant.ofEpochSecond((dayStart + 1440 + 10) * 60), ZoneOffset.UTC);
        try (OpsStore store = OpsStore.open(new StoreSettings(dayFile, 7, 90, StoreSettings.DEFAULT_MAX_BYTES, 65_536), dayClock)) {
            CompletableFuture<Integer> last = null;
            for (int m = 0; m < 1440; m++) {
                for (int i = 0; i < dayAgents; i++) {
                    last = ingestWaiting(store, agentReport(i, dayStart + m, "day"));
                }
                Counts router = Counts.builder().set(Counter.LINES_TO_KAFKA, 1200L * dayAgents).build();
                Counts sink = Counts.builder().set(Counter.LINES_COMMITTED, 1200L * dayAgents).build();
                ingestWaiting(store, new Report(Tier.ROUTER, "router-1", List.of(new Report.Minute(dayStart + m, "day", router))));
                last = ingestWaiting(store, new Report(Tier.SINK, "sink", List.of(new Report.Minute(dayStart + m, "day", sink))));
            }
            last.join();
            store.flush().join();
            Auditor auditor = new Auditor(store, 300_000);
            Histogram series = new Histogram(3);
            Histogram audit = new Histogram(3);
            Histogram hourly = new Histogram(3);
            for (int i = 0; i < 100; i++) {
                long q = System.nanoTime();
                store.series("day", null, Step.MINUTE, dayStart, dayStart + 1440);
                series.recordValue((System.nanoTime() - q) / 1000);
                q = System.nanoTime();
                auditor.audit("day", dayStart, dayStart + 1440);
                audit.recordValue((System.nanoTime() - q) / 1000);
                q = System.nanoTime();
                store.series("day", null, Step.HOUR, dayStart, dayStart + 1440);
                hourly.recordValue((System.nanoTime() - q) / 1000);
            }
            System.out.printf("a task's last 24 h (%d agents, a router and the sink per minute): series step=minute p50 %.1f ms p99 %.1f ms;"
                            + " step=hour p99 %.1f ms; audit p50 %.1f ms p99 %.1f ms%n", dayAgents,
                    series.getValueAtPercentile(50) / 1000.0, series.getValueAtPercentile(99) / 1000.0,
                    hourly.getValueAtPercentile(99) / 1000.0, audit.getValueAtPercentile(50) / 1000.0, audit.getValueAtPercentile(99) / 1000.0);
        }

        // one minute of reports over HTTP
        if (httpThreads > 0) {
            try (ControlServer server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\n"
                    + "store: {path: '" + dir.resolve("http.db") + "', queueCapacity: 65536}\nzookeeper: {connect: '127.0.0.1:1', operationTimeoutMs: 100}\n"))) {
                ExecutorService clientThreads = Executors.newFixedThreadPool(httpThreads);
                HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
                ExecutorService pool = Executors.newFixedThreadPool(httpThreads);
                AtomicInteger next = new AtomicInteger();
                AtomicInteger failed = new AtomicInteger();
                long now = Math.floorDiv(System.currentTimeMillis(), 60_000L) - 1;
                long cpu0 = cpu();
                long t0 = System.nanoTime();
                for (int t = 0; t < httpThreads; t++) {
                    pool.submit(() -> {
                        int i;
                        while ((i = next.getAndIncrement()) < agents) {
                            HttpRequest req = HttpRequest.newBuilder(URI.create(server.localUrl() + "/api/v1/reports"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(reportJson("agent-" + i, now, "task-" + (i % tasks)))).build();
                            try {
                                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() != 202) {
                                    failed.incrementAndGet();
                                }
                            } catch (Exception e) {
                                failed.incrementAndGet();
                            }
                        }
                    });
                }
                pool.shutdown();
                pool.awaitTermination(30, TimeUnit.MINUTES);
                server.ops().store().flush().join();
                double secs = (System.nanoTime() - t0) / 1e9;
                System.out.printf("over HTTP (%d client threads in the same JVM): %d reports in %.1f s = %.0f reports/s, %d not 202;"
                                + " process CPU %.1f s (client included)%n", httpThreads, agents, secs, agents / secs, failed.get(),
                        (cpu() - cpu0) / 1e9);
                clientThreads.shutdownNow();
            }
        }
        if (httpThreads > 0) {
            agentPushes(dir, agents, tasks, httpThreads, pushMinutes);
        }
        System.exit(0);
    }

    /**
     * One push per agent as the agents build it (MinuteLedger + ReportBody, the code of
     * ReportSender): {@code pushMinutes} minutes of one task each (with the default 60 s interval a
     * push carries the end of the closed minute and the open one), POSTed over HTTP.
     */
    private static void agentPushes(Path dir, int agents, int tasks, int httpThreads, int pushMinutes) throws Exception {
        long now = Math.floorDiv(System.currentTimeMillis(), 60_000L);
        long build0 = threadCpu();
        List<byte[]> bodies = new ArrayList<>(agents);
        long ledgerBytes0 = usedHeap();
        List<MinuteLedger> ledgers = new ArrayList<>(agents);
        for (int i = 0; i < agents; i++) {
            MinuteLedger l = new MinuteLedger(60, 1000);
            String task = "task-" + (i % tasks);
            for (int m = 0; m < pushMinutes; m++) {
                long minute = now - pushMinutes + 1 + m;
                for (int b = 0; b < 60; b++) { // one batch a second
                    l.add(task, minute, ReportCount.LINES_READ, 20, ReportCount.BYTES_READ, 3_000 + i % 7);
                    l.add(task, minute, ReportCount.LINES_ACKED, 20, ReportCount.BYTES_ACKED, 3_000 + i % 7);
                }
                l.gauges(task, minute, i % 3 == 0 ? 4096 : 0, i % 3 == 0 ? 250 : 0);
            }
            ledgers.add(l);
        }
        long ledgerBytes = usedHeap() - ledgerBytes0;
        long built0 = threadCpu();
        for (int i = 0; i < agents; i++) {
            bodies.add(ReportBody.chunks(ReportSource.AGENT, "agent-" + i, ledgers.get(i).pending(), ReportSender.MAX_BODY_BYTES,
                    ReportSender.MAX_MINUTES).get(0).json());
        }
        long buildNanos = threadCpu() - built0;
        long countNanos = built0 - build0;
        long bodyBytes = bodies.stream().mapToLong(b -> b.length).sum();
        System.out.printf("agent push (%d minutes of 1 task, built by ReportBody): %d bytes of JSON on average; per agent: %.1f us of CPU"
                        + " to build the body, %.1f us per minute to count 60 batches read and 60 acknowledged, about %d bytes of heap"
                        + " for the ledger%n",
                pushMinutes, bodyBytes / agents, buildNanos / 1e3 / agents, countNanos / 1e3 / agents / pushMinutes,
                Math.max(0, ledgerBytes / agents));
        ledgers.clear();
        try (ControlServer server = ControlServer.start(ControlConfig.fromYaml("http: {host: 127.0.0.1, port: 0}\n"
                + "store: {path: '" + dir.resolve("push.db") + "', queueCapacity: 65536}\nzookeeper: {connect: '127.0.0.1:1', operationTimeoutMs: 100}\n"))) {
            ExecutorService clientThreads = Executors.newFixedThreadPool(httpThreads);
            HttpClient http = HttpClient.newBuilder().executor(clientThreads).build();
            ExecutorService pool = Executors.newFixedThreadPool(httpThreads);
            AtomicInteger next = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            long rows0 = server.ops().store().rowsWritten();
            long cpu0 = cpu();
            long t0 = System.nanoTime();
            for (int t = 0; t < httpThreads; t++) {
                pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < agents) {
                        HttpRequest req = HttpRequest.newBuilder(URI.create(server.localUrl() + "/api/v1/reports"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build();
                        try {
                            if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() != 202) {
                                failed.incrementAndGet();
                            }
                        } catch (Exception e) {
                            failed.incrementAndGet();
                        }
                    }
                });
            }
            pool.shutdown();
            pool.awaitTermination(30, TimeUnit.MINUTES);
            server.ops().store().flush().join();
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("agent pushes over HTTP (%d client threads in the same JVM): %d pushes in %.1f s = %.0f pushes/s, %d not 202,"
                            + " %d rows written (%.1f per push); process CPU %.1f s (client included)%n", httpThreads, agents, secs,
                    agents / secs, failed.get(), server.ops().store().rowsWritten() - rows0,
                    (server.ops().store().rowsWritten() - rows0) / (double) agents, (cpu() - cpu0) / 1e9);
            clientThreads.shutdownNow();
        }
    }

    private static long threadCpu() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    private static long usedHeap() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static CompletableFuture<Integer> lastQueued = CompletableFuture.completedFuture(0);

    /** Ingests; on a full queue waits for the last queued report to be written, and tries again (benchmark only). */
    private static CompletableFuture<Integer> ingestWaiting(OpsStore store, Report r) {
        while (true) {
            Ingest in = store.ingest(r);
            if (in.outcome() == Ingest.Outcome.QUEUED) {
                lastQueued = in.written();
                return lastQueued;
            }
            lastQueued.join();
        }
    }

    static Report agentReport(int i, long minute, String task) {
        Counts c = Counts.builder().set(Counter.LINES_READ, 1200 + i % 7).set(Counter.BYTES_READ, 180_000 + i)
                .set(Counter.LINES_ACKED, 1200 + i % 7).set(Counter.BYTES_ACKED, 180_000 + i).set(Counter.BACKLOG_BYTES, i % 3 == 0 ? 4096 : 0)
                .set(Counter.LAG_MS, i % 3 == 0 ? 250 : 0).build();
        return new Report(Tier.AGENT, "agent-" + i, List.of(new Report.Minute(minute, task, c)));
    }

    static String reportJson(String id, long minute, String task) {
        return "{\"source\":{\"kind\":\"agent\",\"id\":\"" + id + "\"},\"minutes\":[{\"minute\":" + minute + ",\"task\":\"" + task
                + "\",\"counts\":{\"linesRead\":1203,\"bytesRead\":180412,\"linesAcked\":1203,\"bytesAcked\":180412,"
                + "\"backlogBytes\":4096,\"lagMs\":250}}]}";
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long sizeOr0(Path p) throws java.io.IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }
}
