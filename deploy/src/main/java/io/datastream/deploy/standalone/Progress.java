package io.datastream.deploy.standalone;

import io.datastream.agent.Agent;
import io.datastream.deploy.sinkmetrics.SinkCounters;
import io.datastream.registry.member.TaskStatus;
import io.datastream.registry.task.TaskSpec;
import io.datastream.sink.output.TaskTimeBucketAssigner;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prints a progress line every interval: lines read per second by the agent, lines committed to
 * the output (counted from the finished files themselves), backlog, end-to-end latency, and what
 * was dropped on the way: by the agent per reason, and by the sink (duplicates, corrupt
 * envelopes). "Read" and "committed" cover the same tasks: the agent's, each counted in its own
 * output directory; a task whose topic the sink does not read is named once, since its lines can
 * never be committed here.
 *
 * <p>Latency is measured, not estimated from settings: the reporter remembers when the agent's
 * read count reached each value; when the committed count reaches N, the latency is the time
 * since the agent had read N lines (read -> committed, in read order, at the resolution of the
 * progress interval, interpolated between samples).
 */
final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
    /** The topics the standalone sink reads (Standalone's sink config). */
    static final java.util.regex.Pattern SINK_TOPICS = java.util.regex.Pattern.compile("ds-.*");

    private record Sample(long nanos, long linesRead) {
    }

    private final PrintStream out;
    private final Duration interval;
    private final Agent agent;
    private final Path outDir;
    private final SinkCounters sink;
    private final Set<String> warned = new HashSet<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ds-progress");
        t.setDaemon(true);
        return t;
    });
    private final Set<Path> counted = new HashSet<>();
    private final Deque<Sample> samples = new ArrayDeque<>();
    private long committed;
    private long lastRead;
    private long lastNanos;
    private String lastLatency = "-";

    Progress(PrintStream out, Duration interval, Agent agent, Path outDir, SinkCounters sink) {
        this.out = out;
        this.interval = interval;
        this.agent = agent;
        this.outDir = outDir;
        this.sink = sink;
    }

    Progress start() {
        lastRead = linesRead();
        lastNanos = System.nanoTime();
        timer.scheduleAtFixedRate(this::report, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void report() {
        try {
            long now = System.nanoTime();
            long read = linesRead();
            samples.addLast(new Sample(now, read));
            while (samples.size() > 1024) {
                samples.removeFirst();
            }
            long previousCommitted = committed;
            try {
                committed += countNewCommittedLines();
            } catch (IOException e) {
                LOG.debug("progress: output scan failed: {}", e.toString());
            }
            double perSec = (read - lastRead) / Math.max(1e-9, (now - lastNanos) / 1e9);
            warnAboutTopicsTheSinkDoesNotRead();
            out.println(String.format(Locale.ROOT, "progress: read %,.0f lines/s (%,d total) | committed %,d lines | backlog %s | latency %s"
                            + " | dropped %s | sink: %s",
                    perSec, read, committed, bytes(backlogBytes()), latency(now, previousCommitted), agentDrops(), sinkDrops()));
            out.flush();
            lastRead = read;
            lastNanos = now;
        } catch (RuntimeException e) {
            LOG.debug("progress report failed: {}", e.toString());
        }
    }

    /**
     * When the committed count grew: the time since the agent's read count crossed it, with the
     * crossing interpolated between two samples. Otherwise the last measurement stands.
     */
    private String latency(long now, long previousCommitted) {
        if (committed > previousCommitted) {
            Sample before = null;
            for (Sample s : samples) {
                if (s.linesRead() >= committed) {
                    long crossed = s.nanos();
                    if (before != null && s.linesRead() > before.linesRead()) {
                        double f = (double) (committed - before.linesRead()) / (s.linesRead() - before.linesRead());
                        crossed = before.nanos() + (long) (f * (s.nanos() - before.nanos()));
                    }
                    lastLatency = String.format(Locale.ROOT, "%.1f s", (now - crossed) / 1e9);
                    break;
                }
                before = s;
            }
        }
        return lastLatency;
    }

    /** What the agent dropped, with the reasons: "0" or "10.0 KiB (compressed 10.0 KiB, overLongLine 2 lines 512 B)". */
    private String agentDrops() {
        if (agent == null) {
            return "0";
        }
        long bytes = 0;
        java.util.Map<String, long[]> byReason = new java.util.TreeMap<>();
        for (TaskStatus t : agent.status().tasks().values()) {
            bytes += t.droppedBytes();
            t.droppedBytesByReason().forEach((r, n) -> byReason.computeIfAbsent(r, k -> new long[2])[1] += n);
            t.droppedLinesByReason().forEach((r, n) -> byReason.computeIfAbsent(r, k -> new long[2])[0] += n);
        }
        if (bytes == 0 && byReason.isEmpty()) {
            return "0";
        }
        java.util.List<String> parts = new java.util.ArrayList<>();
        byReason.forEach((r, n) -> parts.add(r + (n[0] > 0 ? " " + n[0] + " lines " : " ") + bytes(n[1])));
        return bytes(bytes) + (parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")");
    }

    /**
     * What the sink set aside for the agent's tasks: lines dropped as already delivered and lines
     * bucketed by read time for want of an event time; and envelopes it dead-lettered (those
     * cannot always be told apart by task, so all of them).
     */
    private String sinkDrops() {
        long duplicates = 0;
        long untimed = 0;
        if (agent != null) {
            for (String task : agent.status().tasks().keySet()) {
                duplicates += sink.sum("ds_sink_task_lines_duplicate_total", java.util.Map.of("task", task));
                untimed += sink.sum("ds_sink_task_lines_time_fallback_total", java.util.Map.of("task", task));
            }
        }
        long corrupt = sink.sum("ds_sink_envelopes_corrupt_total", java.util.Map.of());
        return String.format(Locale.ROOT, "%,d duplicate lines, %,d corrupt envelopes, %,d lines without event time",
                duplicates, corrupt, untimed);
    }

    /** Once per task: its topic is not one the sink reads, so its lines are never committed here. */
    private void warnAboutTopicsTheSinkDoesNotRead() {
        if (agent == null) {
            return;
        }
        for (java.util.Map.Entry<String, TaskSpec> e : agent.tasks().entrySet()) {
            String topic = e.getValue().topic();
            if (topic != null && !SINK_TOPICS.matcher(topic).matches() && warned.add(e.getKey())) {
                out.println("progress: task '" + e.getKey() + "' writes topic '" + topic + "', which this sink does not read"
                        + " (it reads topics matching " + SINK_TOPICS.pattern() + "): its lines are not committed here;"
                        + " name the topic ds-" + e.getKey() + " or leave it out");
            }
        }
    }

    private long linesRead() {
        if (agent == null) {
            return 0;
        }
        long n = 0;
        for (TaskStatus t : agent.status().tasks().values()) {
            n += t.linesRead();
        }
        return n;
    }

    private long backlogBytes() {
        if (agent == null) {
            return 0;
        }
        long n = 0;
        for (TaskStatus t : agent.status().tasks().values()) {
            n += t.backlogBytes();
        }
        return n;
    }

    /**
     * Lines in finished output files of the agent's tasks not counted before (in-progress files
     * are hidden: they start with '.').
     */
    private long countNewCommittedLines() throws IOException {
        long lines = 0;
        if (agent == null) {
            return 0;
        }
        for (String task : agent.status().tasks().keySet()) {
            lines += countNewCommittedLines(outDir.resolve(TaskTimeBucketAssigner.taskDirectory(task)));
        }
        return lines;
    }

    private long countNewCommittedLines(Path taskDir) throws IOException {
        if (!Files.isDirectory(taskDir)) {
            return 0;
        }
        long lines = 0;
        try (Stream<Path> walk = Files.walk(taskDir)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(".zst") && !p.getFileName().toString().startsWith("."))::iterator) {
                if (counted.add(f)) {
                    lines += countLines(f);
                }
            }
        }
        return lines;
    }

    private static long countLines(Path zst) throws IOException {
        long n = 0;
        byte[] buf = new byte[64 << 10];
        try (InputStream in = new com.github.luben.zstd.ZstdInputStream(Files.newInputStream(zst))) {
            int r;
            while ((r = in.read(buf)) > 0) {
                for (int i = 0; i < r; i++) {
                    if (buf[i] == '\n') {
                        n++;
                    }
                }
            }
        }
        return n;
    }

    private static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        if (b < 1 << 20) {
            return String.format(Locale.ROOT, "%.1f KiB", b / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", b / (1024.0 * 1024));
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(2, TimeUnit.SECONDS);
    }
}
