package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.discovery.Discovery;
import io.datastream.agent.testing.CollectingOutlet;
import io.datastream.agent.testing.LineLedger;
import io.datastream.registry.task.TaskSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Discovery and a tailer on their threads, delivering to a collecting outlet. */
final class TailerFixture implements AutoCloseable {
    static final String FAST_TIMINGS = """
            id: test-agent
            host: test-host
            http: {port: -1}
            files: {slowAfterMs: 300, slowPollMs: 50, inactiveAfterMs: 1500, releaseAfterMs: 400, shortFileWaitMs: 300, fastPollMs: 5}
            discovery: {intervalMs: 250}
            batch: {lingerMs: 5, maxBytes: 65536}
            """ + io.datastream.agent.testing.TestPaths.allowTmp();

    final AgentConfig config;
    final LineLedger ledger;
    final SendWindow window;
    final CollectingOutlet outlet;
    final Tailer tailer;
    final Discovery discovery;
    private final Thread tailerThread;
    private final Thread discoveryThread;

    TailerFixture(String extraYaml, Path dataDir, List<CheckpointEntry> checkpoints, LineLedger ledger, TaskSpec... tasks) {
        this(extraYaml, dataDir, checkpoints, t -> { }, ledger, tasks);
    }

    /** With {@code setup} applied to the tailer before it runs. */
    TailerFixture(String extraYaml, Path dataDir, List<CheckpointEntry> checkpoints, java.util.function.Consumer<Tailer> setup,
                  LineLedger ledger, TaskSpec... tasks) {
        this.config = AgentConfig.fromYaml(merge(FAST_TIMINGS + "dataDir: " + dataDir + "\n", extraYaml));
        this.ledger = ledger;
        this.window = new SendWindow(config.send().windowBatches(), config.send().windowBytes());
        this.outlet = new CollectingOutlet(window, ledger);
        this.tailer = new Tailer(config, outlet, window, checkpoints, System::currentTimeMillis);
        setup.accept(tailer);
        this.discovery = new Discovery(config.discovery(), new io.datastream.agent.discovery.PathPolicy(config.paths().allow()), tailer,
                System::currentTimeMillis);
        Map<String, TaskSpec> m = new LinkedHashMap<>();
        for (TaskSpec t : tasks) {
            m.put(t.id(), t);
        }
        tailer.setTasks(m);
        discovery.setTasks(m);
        tailerThread = new Thread(tailer, "test-tailer");
        discoveryThread = new Thread(discovery, "test-discovery");
        tailerThread.start();
        discoveryThread.start();
    }

    TailerSnapshot snapshot() throws Exception {
        return tailer.snapshot().get(10, TimeUnit.SECONDS);
    }

    List<FileStatus> files() throws Exception {
        return tailer.fileStatuses().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        discovery.close();
        tailer.close();
        discoveryThread.join(5_000);
        tailerThread.join(5_000);
    }

    /** Writes {@code lines} lines to each of {@code files} (tagged with the file's name); returns them all. */
    static List<String> writeLines(List<Path> files, int lines) throws java.io.IOException {
        List<String> written = new java.util.ArrayList<>();
        for (Path p : files) {
            try (io.datastream.agent.testing.LogWriter w = new io.datastream.agent.testing.LogWriter(p, p.getFileName().toString())) {
                written.addAll(w.write(lines));
            }
        }
        return written;
    }

    /** Hands {@code tailer} the scan discovery would report for {@code files} of {@code spec}. */
    static void scan(Tailer tailer, TaskSpec spec, List<Path> files) throws java.io.IOException {
        List<io.datastream.agent.discovery.Found> found = new java.util.ArrayList<>();
        for (Path p : files) {
            found.add(new io.datastream.agent.discovery.Found(p, io.datastream.agent.fingerprint.FileStat.of(p)));
        }
        tailer.onScan(new io.datastream.agent.discovery.ScanResult(spec, found, false, List.of()));
    }

    /**
     * Steps {@code tailer} on a manual clock ({@code now[0]}, 10 ms per round, waiting for its
     * compressing threads each round) until {@code ledger} holds every written line or
     * {@code maxRounds} passed, then returns task {@code taskId}'s report from a snapshot. Closes the tailer.
     */
    static TaskReport driveUntilDelivered(Tailer tailer, long[] now, io.datastream.agent.testing.LineLedger ledger,
                                          List<String> written, int maxRounds, String taskId) throws Exception {
        try {
            for (int round = 0; round < maxRounds && !ledger.missing(written).isEmpty(); round++) {
                now[0] += 10;
                tailer.doWork(now[0]);
                tailer.awaitCompressed();
            }
            tailer.awaitCompressed();
            java.util.concurrent.CompletableFuture<TailerSnapshot> snapshot = tailer.snapshot();
            tailer.doWork(now[0] += 10); // answers it
            return snapshot.getNow(null).tasks().get(taskId);
        } finally {
            tailer.close();
        }
    }

    /** {@code extra}'s keys over {@code base}'s, section by section (the configuration refuses a section given twice). */
    static String merge(String base, String extra) {
        try {
            com.fasterxml.jackson.databind.ObjectMapper yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
            com.fasterxml.jackson.databind.JsonNode b = yaml.readTree(base);
            com.fasterxml.jackson.databind.JsonNode e = extra == null || extra.isBlank() ? null : yaml.readTree(extra);
            if (e == null || !e.isObject()) {
                return base + (extra == null ? "" : extra);
            }
            mergeInto((com.fasterxml.jackson.databind.node.ObjectNode) b, e);
            return yaml.writeValueAsString(b);
        } catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    private static void mergeInto(com.fasterxml.jackson.databind.node.ObjectNode base, com.fasterxml.jackson.databind.JsonNode extra) {
        for (Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> f : extra.properties()) {
            com.fasterxml.jackson.databind.JsonNode existing = base.get(f.getKey());
            if (existing != null && existing.isObject() && f.getValue().isObject()) {
                mergeInto((com.fasterxml.jackson.databind.node.ObjectNode) existing, f.getValue());
            } else {
                base.set(f.getKey(), f.getValue());
            }
        }
    }
}
