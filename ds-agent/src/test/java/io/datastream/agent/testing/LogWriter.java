package io.datastream.agent.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes numbered lines to a log file the way a logger does: one append-mode handle kept open
 * across renames until {@link #reopen()}. Remembers every line it wrote.
 */
public final class LogWriter implements AutoCloseable {
    private final Path path;
    private final String tag;
    private final List<String> written = new ArrayList<>();
    private FileChannel ch;
    private int seq;

    public LogWriter(Path path, String tag) throws IOException {
        this.path = path;
        this.tag = tag;
        open();
    }

    private void open() throws IOException {
        ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Writes {@code n} lines; returns them. */
    public List<String> write(int n) throws IOException {
        List<String> lines = new ArrayList<>(n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String line = line(seq);
            seq++;
            lines.add(line);
            sb.append(line).append('\n');
        }
        ByteBuffer b = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
        written.addAll(lines);
        return lines;
    }

    /** The line with sequence number {@code n} (the n-th line this writer writes, from 0). */
    public String line(int n) {
        return String.format("2024-05-01T12:00:00.%03dZ INFO [%s] seq=%06d user=u%d action=click path=/p/%d", n % 1000, tag, n, n % 97, n % 13);
    }

    /** Writes raw bytes (a partial line, binary). */
    public void writeRaw(String s) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Closes and opens the path again (after a rename rotation: creates the new file). */
    public void reopen() throws IOException {
        ch.close();
        open();
    }

    public List<String> written() {
        return new ArrayList<>(written);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
