package io.datastream.deploy.standalone;

import io.datastream.embedded.logs.LogGenerator;
import io.datastream.embedded.logs.LogKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --demo}: writes a realistic log stream (web access, Java application with stack traces,
 * JSON) into {@code logs/demo/*.log} at a steady rate, rotating each file by rename at 64 MiB
 * (keeping two rotated files), so a new user sees data flow through the pipeline at once.
 * One scheduled writer thread; stops on {@link #close()}.
 */
final class DemoLogWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoLogWriter.class);
    private static final long ROTATE_BYTES = 64L << 20;
    private static final int KEEP_ROTATED = 2;

    private final Path dir;
    private final int linesPerSecond;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ds-demo-writer");
        t.setDaemon(true);
        return t;
    });
    private final AtomicLong written = new AtomicLong();
    private final LogKind[] kinds = {LogKind.WEB_ACCESS, LogKind.JAVA_APP, LogKind.JSON};
    private final LogGenerator[] gens = new LogGenerator[kinds.length];
    private final OutputStream[] outs = new OutputStream[kinds.length];
    private final long[] sizes = new long[kinds.length];

    DemoLogWriter(Path dir, int linesPerSecond) {
        this.dir = dir;
        this.linesPerSecond = linesPerSecond;
    }

    /** Opens the files and writes a tenth of a second's lines every 100 ms on the writer thread. */
    DemoLogWriter start() throws IOException {
        Files.createDirectories(dir);
        long seed = System.currentTimeMillis();
        for (int i = 0; i < kinds.length; i++) {
            gens[i] = LogGenerator.of(kinds[i], seed + i, System.currentTimeMillis());
            outs[i] = open(kinds[i]);
            sizes[i] = Files.size(file(kinds[i]));
        }
        timer.scheduleAtFixedRate(this::tick, 0, 100, TimeUnit.MILLISECONDS);
        return this;
    }

    /** Lines written so far. */
    long linesWritten() {
        return written.get();
    }

    private void tick() {
        try {
            int perTick = Math.max(1, linesPerSecond / 10);
            for (int n = 0; n < perTick; n++) {
                int k = n % kinds.length;
                byte[] line = gens[k].nextLine(); // without its newline
                outs[k].write(line);
                outs[k].write('\n');
                sizes[k] += line.length + 1;
                written.incrementAndGet();
                if (sizes[k] >= ROTATE_BYTES) {
                    outs[k].close();
                    rotate(kinds[k]);
                    outs[k] = open(kinds[k]);
                    sizes[k] = 0;
                }
            }
            for (OutputStream o : outs) {
                o.flush();
            }
        } catch (IOException e) {
            LOG.error("demo log writer stopped: {}", e.toString());
            timer.shutdown();
        }
    }

    private Path file(LogKind kind) {
        return dir.resolve(kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ".log");
    }

    private OutputStream open(LogKind kind) throws IOException {
        return new java.io.BufferedOutputStream(Files.newOutputStream(file(kind), StandardOpenOption.CREATE,
                StandardOpenOption.APPEND), 64 << 10);
    }

    /** app.log -> app.log.1 -> app.log.2; the oldest beyond KEEP_ROTATED is deleted. */
    private void rotate(LogKind kind) throws IOException {
        Path f = file(kind);
        Files.deleteIfExists(Path.of(f + "." + KEEP_ROTATED));
        for (int i = KEEP_ROTATED - 1; i >= 1; i--) {
            Path from = Path.of(f + "." + i);
            if (Files.exists(from)) {
                Files.move(from, Path.of(f + "." + (i + 1)), StandardCopyOption.ATOMIC_MOVE);
            }
        }
        Files.move(f, Path.of(f + ".1"), StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        for (OutputStream o : outs) {
            if (o != null) {
                try {
                    o.close();
                } catch (IOException e) {
                    LOG.warn("closing a demo log file failed: {}", e.toString());
                }
            }
        }
    }
}
