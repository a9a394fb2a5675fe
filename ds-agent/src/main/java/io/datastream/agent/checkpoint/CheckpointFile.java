package io.datastream.agent.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Collection;

/**
 * The checkpoint file in the data directory, replaced whole: written to a temporary file,
 * fsynced, renamed over the old one atomically, and the directory fsynced, so a crash at any
 * moment leaves either the old or the new file, never a mix.
 */
public final class CheckpointFile {
    public static final String NAME = "checkpoints.bin";

    private final Path dir;
    private final Path file;
    private final Path tmp;

    public CheckpointFile(Path dir) {
        this.dir = dir;
        this.file = dir.resolve(NAME);
        this.tmp = dir.resolve(NAME + ".tmp");
    }

    public Path path() {
        return file;
    }

    /** The saved checkpoints, or an empty result when there is no file yet. */
    public CheckpointFormat.Contents load() throws IOException {
        Files.createDirectories(dir);
        Files.deleteIfExists(tmp); // a write that a crash interrupted; the real file is intact
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new CheckpointFormat.Contents(CheckpointFormat.VERSION_2, 0, java.util.List.of(), java.util.List.of(), -1);
        }
        try {
            return CheckpointFormat.decode(data);
        } catch (CorruptCheckpointException e) {
            throw new CorruptCheckpointException(file + ": " + e.getMessage()
                    + " (move the file aside to start over: every file is then read again per its task's startPosition)");
        }
    }

    public void write(Collection<CheckpointEntry> entries, long nowMillis) throws IOException {
        write(entries, java.util.List.of(), -1, nowMillis);
    }

    public void write(Collection<CheckpointEntry> entries, Collection<MinuteCounts> counts, long openMinute, long nowMillis)
            throws IOException {
        byte[] data = CheckpointFormat.encode(entries, counts, openMinute, nowMillis);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(data);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the rename is still atomic
        }
    }
}
