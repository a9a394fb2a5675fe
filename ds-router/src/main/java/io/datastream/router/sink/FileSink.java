package io.datastream.router.sink;

import io.datastream.router.channel.ChannelConsumer;
import io.datastream.router.channel.ChannelRecord;
import io.datastream.router.http.IntakeMetrics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a channel's events to local NDJSON files (one JSON event per line), rolling to a new file
 * past {@code rollBytes} or {@code rollIntervalMs}. The file being written is
 * {@code <sink>-<start ms>-<n>.ndjson.part}; a rolled file loses the {@code .part}. Events are
 * committed after they are written and forced to disk, so a crash repeats at most what was
 * written but not committed (at-least-once); a {@code .part} file left by a crash is completed
 * (renamed) at start. When a write fails the sink counts it, rewinds and tries again after a
 * pause. One thread.
 */
public final class FileSink extends ChannelSink {
    private static final Logger LOG = LoggerFactory.getLogger(FileSink.class);
    private static final String PART = ".part";

    private final JsonLines json;
    private final Path dir;
    private final long rollBytes;
    private final long rollIntervalMs;
    private final Object pause = new Object();
    private FileChannel out;
    private Path current;
    private long written;
    private long openedMillis;
    private int counter;

    public FileSink(String name, String channel, ChannelConsumer consumer, JsonLines lines, Path dir, long rollBytes, long rollIntervalMs,
                    IntakeMetrics.SinkCounters counters) {
        super(name, channel, consumer, counters);
        this.json = lines;
        this.dir = dir;
        this.rollBytes = rollBytes;
        this.rollIntervalMs = rollIntervalMs;
    }

    @Override
    public FileSink start() {
        super.start();
        return this;
    }

    @Override
    protected void run() {
        try {
            Files.createDirectories(dir);
            completeLeftovers();
        } catch (IOException e) {
            LOG.warn("sink {}: cannot prepare {}: {}", name(), dir, e.toString());
        }
        try {
            while (!stopping) {
                List<ChannelRecord> records = consumer.take(4096, 4L << 20, 100, TimeUnit.MILLISECONDS);
                try {
                    if (out != null && (written >= rollBytes || System.currentTimeMillis() - openedMillis >= rollIntervalMs)) {
                        roll();
                    }
                    if (records.isEmpty()) {
                        continue;
                    }
                    write(records);
                    consumer.commit(records.get(records.size() - 1).nextPosition());
                    counters.events().inc(records.size());
                    counters.batches().inc();
                } catch (IOException e) {
                    counters.failures().inc();
                    LOG.warn("sink {}: cannot write to {} ({}); trying again", name(), current, e.toString());
                    closeQuietly();
                    consumer.rewind();
                    synchronized (pause) {
                        pause.wait(1000);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("sink {} stopped by an unexpected error", name(), e);
        } finally {
            json.close();
        }
        try {
            roll();
        } catch (IOException e) {
            LOG.warn("sink {}: cannot complete {}: {}", name(), current, e.toString());
        }
    }

    private void write(List<ChannelRecord> records) throws IOException {
        if (out == null) {
            openedMillis = System.currentTimeMillis();
            current = dir.resolve(name() + "-" + openedMillis + "-" + counter++ + ".ndjson" + PART);
            out = FileChannel.open(current, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            written = out.size();
        }
        int size = 0;
        byte[][] lines = new byte[records.size()][];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = json.of(records.get(i), channel());
            size += lines[i].length + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        for (byte[] l : lines) {
            b.put(l).put((byte) '\n');
        }
        b.flip();
        while (b.hasRemaining()) {
            out.write(b);
        }
        out.force(false);
        written += size;
    }

    /** Closes the file being written and drops its {@code .part}. */
    private void roll() throws IOException {
        if (out == null) {
            return;
        }
        out.close();
        out = null;
        String n = current.getFileName().toString();
        Files.move(current, current.resolveSibling(n.substring(0, n.length() - PART.length())), StandardCopyOption.ATOMIC_MOVE);
    }

    private void completeLeftovers() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, name() + "-*.ndjson" + PART)) {
            for (Path p : ds) {
                cutAfterLastNewline(p);
                String n = p.getFileName().toString();
                Files.move(p, p.resolveSibling(n.substring(0, n.length() - PART.length())), StandardCopyOption.ATOMIC_MOVE);
            }
        }
    }

    /** A line cut short by a crash is dropped: its event was not committed and comes again. */
    private static void cutAfterLastNewline(Path p) throws IOException {
        try (FileChannel fc = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = fc.size();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                fc.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < fc.size()) {
                fc.truncate(end);
            }
        }
    }

    private void closeQuietly() {
        try {
            roll();
        } catch (IOException e) {
            out = null;
        }
    }

    @Override
    public void close(Duration timeout) {
        stopThread();
    }
}
