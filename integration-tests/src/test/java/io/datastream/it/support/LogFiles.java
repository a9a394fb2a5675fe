package io.datastream.it.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Log files {@code <dir>/<prefix>-NN.log} written like an application writes them, rotated like
 * logrotate rotates them, with a record of every line written. Every line is unique (prefix, file,
 * sequence number) so the output can be compared line by line. Rotated files are named
 * {@code <prefix>-NN.log.K}: tasks that should follow copytruncate rotations match them
 * ({@code *.log*}), as the copy must be found for the agent to take the stream over.
 */
public final class LogFiles implements AutoCloseable {
    private final Path dir;
    private final String prefix;
    private final int files;
    private final int[] rotations;
    private final List<String> written = new ArrayList<>();
    private long seq;
    private ScheduledExecutorService writer;
    private CountDownLatch roundsDone;
    private volatile Throwable failure;

    public LogFiles(Path dir, String prefix, int files) {
        this.dir = dir;
        this.prefix = prefix;
        this.files = files;
        this.rotations = new int[files];
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    public int fileCount() {
        return files;
    }

    /** Appends {@code lines} lines to file {@code file}. */
    public synchronized void append(int file, int lines) {
        StringBuilder sb = new StringBuilder();
        List<String> batch = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            long n = seq++;
            // lengths vary from 40 to about 240 bytes
            String line = prefix + " f" + file + " n" + n + " " + "abcdefghij".repeat(4 + (int) (n % 21));
            batch.add(line);
            sb.append(line).append('\n');
        }
        try {
            Files.writeString(path(file), sb, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written.addAll(batch);
    }

    /** One round: {@code linesPerFile} lines appended to every file. */
    public synchronized void appendAll(int linesPerFile) {
        for (int f = 0; f < files; f++) {
            append(f, linesPerFile);
        }
    }

    /** Rename rotation: the file moves to {@code .K}; the next write creates a new file. */
    public synchronized void rotateByRename(int file) {
        try {
            Path p = path(file);
            if (Files.exists(p)) {
                Files.move(p, rotated(file), StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** copytruncate rotation: the file is copied to {@code .K}, then truncated in place. */
    public synchronized void rotateByCopyTruncate(int file) {
        try {
            Path p = path(file);
            if (Files.exists(p)) {
                Files.copy(p, rotated(file));
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.truncate(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs {@code round} in the background every {@code periodMillis} with the round number 0, 1,
     * 2, ... ({@code rounds} times, or until {@link #stopWriting()}); the rounds call this object's
     * write and rotate methods. {@link #awaitRounds} waits for the last one.
     */
    public synchronized void startWriting(long periodMillis, int rounds, IntConsumer round) {
        if (writer != null) {
            throw new IllegalStateException("already writing");
        }
        ScheduledExecutorService w = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "log-writer-" + prefix));
        writer = w;
        roundsDone = new CountDownLatch(1);
        CountDownLatch done = roundsDone;
        AtomicInteger next = new AtomicInteger();
        w.scheduleAtFixedRate(() -> {
            int r = next.getAndIncrement();
            if (r >= rounds) {
                done.countDown();
                w.shutdown();
                return;
            }
            try {
                round.accept(r);
            } catch (RuntimeException | Error e) {
                failure = e;
                done.countDown();
                w.shutdown();
            }
        }, 0, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Waits until the rounds of {@link #startWriting} have all run. */
    public void awaitRounds(Duration timeout) {
        try {
            if (!roundsDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("writing did not finish within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        stopWriting();
        if (failure != null) {
            throw new IllegalStateException("writing failed", failure);
        }
    }

    /** Stops background writing; returns once the last round is written. */
    public void stopWriting() {
        ScheduledExecutorService w;
        synchronized (this) {
            w = writer;
            writer = null;
        }
        if (w != null) {
            w.shutdown();
            try {
                if (!w.awaitTermination(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("log writer did not stop");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Waits until the background writer has written {@code lines} more lines than now. */
    public void awaitMoreWritten(int lines) {
        int target = writtenCount() + lines;
        await("written " + target + " lines of " + prefix).atMost(Duration.ofMinutes(2))
                .pollInterval(Duration.ofMillis(50)).until(() -> writtenCount() >= target);
    }

    /** Every line written so far. */
    public synchronized List<String> written() {
        return new ArrayList<>(written);
    }

    public synchronized int writtenCount() {
        return written.size();
    }

    private Path path(int file) {
        return dir.resolve(String.format("%s-%02d.log", prefix, file));
    }

    private Path rotated(int file) {
        return dir.resolve(String.format("%s-%02d.log.%d", prefix, file, ++rotations[file]));
    }

    @Override
    public void close() {
        stopWriting();
    }
}
