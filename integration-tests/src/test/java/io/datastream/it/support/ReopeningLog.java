package io.datastream.it.support;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A writer that behaves like nginx: it keeps its log file open in append mode and writes lines
 * to whatever file that descriptor points at (after a rename, the rotated one) until it is told
 * to reopen: the {@code postrotate} script creates the flag file, the writer sees it before its
 * next write, deletes it and opens the path again (the new file). In copytruncate mode no flag
 * ever comes and the appends follow the truncation (O_APPEND).
 */
public final class ReopeningLog implements AutoCloseable {
    private final Path file;
    private final Path reopenFlag;
    private final String prefix;
    private final ScheduledExecutorService writer;
    private final List<String> written = new ArrayList<>();
    private OutputStream out;
    private long seq;
    private int reopens;
    private volatile Throwable failure;

    private ReopeningLog(Path file, Path reopenFlag, String prefix) {
        this.file = file;
        this.reopenFlag = reopenFlag;
        this.prefix = prefix;
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "reopening-log-" + prefix));
    }

    /** Starts writing {@code linesPerTick} lines every {@code tick}. */
    public static ReopeningLog start(Path file, Path reopenFlag, String prefix, int linesPerTick, Duration tick) {
        ReopeningLog log = new ReopeningLog(file, reopenFlag, prefix);
        log.writer.scheduleAtFixedRate(() -> log.tick(linesPerTick), 0, tick.toMillis(), TimeUnit.MILLISECONDS);
        return log;
    }

    private synchronized void tick(int lines) {
        if (failure != null) {
            return;
        }
        try {
            if (out == null) {
                out = new FileOutputStream(file.toFile(), true);
            } else if (reopenFlag != null && Files.deleteIfExists(reopenFlag)) {
                out.close();
                out = new FileOutputStream(file.toFile(), true);
                reopens++;
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < lines; i++) {
                long n = seq++;
                String line = prefix + " n" + n + " GET /api/items/" + (n * 7919 % 10007) + " 200 " + "x".repeat((int) (n % 37));
                written.add(line);
                sb.append(line).append('\n');
            }
            out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            failure = e;
        }
    }

    public synchronized int writtenCount() {
        return written.size();
    }

    public synchronized int reopens() {
        return reopens;
    }

    /** Stops writing; returns every line written, in order. */
    public List<String> stop() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("writer did not stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (failure != null) {
                throw new IllegalStateException("writing " + file + " failed", failure);
            }
            try {
                if (out != null) {
                    out.close();
                    out = null;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return List.copyOf(written);
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        synchronized (this) {
            try {
                if (out != null) {
                    out.close();
                }
            } catch (IOException ignored) {
                // closing after a failure
            }
        }
    }
}
