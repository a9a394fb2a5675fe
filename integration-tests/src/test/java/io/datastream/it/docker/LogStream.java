package io.datastream.it.docker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One application's log in a host directory that an agent container follows: unique lines
 * appended to app.log, rotated every {@code rotateEvery} lines, alternately renamed to
 * app-N.log (still matched by the task's *.log glob) and app.log.N (out of the glob, drained by
 * the agent). Remembers every line it wrote. Used by one thread at a time.
 */
final class LogStream {
    private final Path dir;
    private final String prefix;
    private final int rotateEvery;
    private final Random random;
    private final List<String> written = new ArrayList<>();
    private long bytes;
    private int file;
    private int inFile;
    private BufferedWriter out;

    LogStream(Path dir, String task, String agent, int rotateEvery, long seed) {
        this.dir = dir;
        this.prefix = task + " " + agent + " ";
        this.rotateEvery = rotateEvery;
        this.random = new Random(seed);
    }

    /** Appends n lines (rotating as it goes) and flushes them to the file. */
    void write(int n) {
        try {
            if (out == null) {
                Files.createDirectories(dir);
                out = Files.newBufferedWriter(dir.resolve("app.log"), StandardCharsets.UTF_8);
            }
            for (int i = 0; i < n; i++) {
                if (inFile == rotateEvery) {
                    rotate();
                }
                String line = prefix + String.format("f%03d n%08d ", file, written.size()) + payload();
                out.write(line);
                out.write('\n');
                written.add(line);
                bytes += line.length() + 1;
                inFile++;
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void rotate() throws IOException {
        out.close();
        String rotated = file % 2 == 0 ? "app-" + file + ".log" : "app.log." + file;
        Files.move(dir.resolve("app.log"), dir.resolve(rotated));
        file++;
        inFile = 0;
        out = Files.newBufferedWriter(dir.resolve("app.log"), StandardCharsets.UTF_8);
    }

    private String payload() {
        int len = 20 + random.nextInt(160);
        StringBuilder sb = new StringBuilder(len);
        for (int i = 0; i < len; i++) {
            int r = random.nextInt(64);
            sb.append(r < 26 ? (char) ('a' + r) : r < 52 ? (char) ('A' + r - 26) : r < 62 ? (char) ('0' + r - 52) : ' ');
        }
        return sb.toString();
    }

    void close() {
        try {
            if (out != null) {
                out.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<String> written() {
        return written;
    }

    long bytesWritten() {
        return bytes;
    }

    int rotations() {
        return file;
    }
}
