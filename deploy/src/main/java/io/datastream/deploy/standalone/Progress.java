package io.datastream.deploy.standalone;

import io.datastream.agent.Agent;
import io.datastream.registry.member.TaskStatus;
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
 * the output (counted from the finished files themselves), backlog, end-to-end latency, and the
 * bytes the agent dropped by reason (only when there are any).
 *
 * <p>Latency is measured, not estimated from settings: the reporter remembers when the agent's
 * read count reached each value; when the committed count reaches N, the latency is the time
 * since the agent had read N lines (read -> committed, in read order, at the resolution of the
 * progress interval, interpolated between samples).
 */
final class Progress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Progress.class);

    private record Sample(long nanos, long linesRead) {
    }

    private final PrintStream out;
    private final Duration interval;
    private final Agent agent;
    private final Path outDir;
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

    Progress(PrintStream out, Duration interval, Agent agent, Path outDir) {
        this.out = out;
        this.interval = interval;
        this.agent = agent;
        this.outDir = outDir;
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
            out.println(String.format(Locale.ROOT, "progress: read %,.0f lines/s (%,d total) | committed %,d lines | backlog %s | latency %s",
                    perSec, read, committed, bytes(backlogBytes()), latency(now, previousCommitted)) + dropped());
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

    /** " | dropped 1.2 KiB (compressed 1.0 KiB, truncatedUnread 200 B)" when the agent dropped anything, else "". */
    private String dropped() {
        if (agent == null) {
            return "";
        }
        long total = 0;
        java.util.Map<String, Long> byReason = new java.util.TreeMap<>();
        for (TaskStatus t : agent.status().tasks().values()) {
            total += t.droppedBytes();
            t.droppedBytesByReason().forEach((r, b) -> byReason.merge(r, b, Long::sum));
        }
        if (total == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder(" | dropped ").append(bytes(total));
        if (!byReason.isEmpty()) {
            java.util.StringJoiner j = new java.util.StringJoiner(", ", " (", ")");
            byReason.forEach((r, b) -> j.add(r + " " + bytes(b)));
            sb.append(j);
        }
        return sb.toString();
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

    /** Lines in finished output files not counted before (in-progress files are hidden: they start with '.'). */
    private long countNewCommittedLines() throws IOException {
        if (!Files.isDirectory(outDir)) {
            return 0;
        }
        long lines = 0;
        try (Stream<Path> walk = Files.walk(outDir)) {
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
