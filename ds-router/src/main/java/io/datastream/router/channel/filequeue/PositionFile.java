package io.datastream.router.channel.filequeue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A consumer's committed position, one small file per consumer ({@code consumers/<name>.pos}),
 * replaced whole: written to {@code .tmp}, forced, renamed over the old one, directory forced.
 *
 * <pre>
 *  0  4  magic 0x44535150 ("DSQP")
 *  4  2  version (1)
 *  6  2  flags (0)
 *  8  8  position: everything before it is committed
 * 16  4  CRC32C of bytes 0..16
 * </pre>
 */
public final class PositionFile {
    public static final int MAGIC = 0x44535150;
    public static final short VERSION = 1;
    public static final int BYTES = 20;

    private PositionFile() {
    }

    /** What a position file holds: a position, nothing (no file), or a reason it cannot be read. */
    public record Read(long position, boolean present, String problem) {
    }

    public static Read read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Read(-1, false, null);
        } catch (IOException e) {
            return new Read(-1, false, "cannot read: " + e.getMessage());
        }
        return decode(bytes);
    }

    static Read decode(byte[] bytes) {
        if (bytes.length != BYTES) {
            return new Read(-1, false, "size " + bytes.length + " is not " + BYTES);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != MAGIC || b.getShort(4) != VERSION) {
            return new Read(-1, false, "bad magic or version");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 16);
        if ((int) crc.getValue() != b.getInt(16)) {
            return new Read(-1, false, "CRC mismatch");
        }
        long position = b.getLong(8);
        if (position < 0) {
            return new Read(-1, false, "negative position " + position);
        }
        return new Read(position, true, null);
    }

    static byte[] encode(long position) {
        ByteBuffer b = ByteBuffer.allocate(BYTES).putInt(MAGIC).putShort(VERSION).putShort((short) 0).putLong(position);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 16);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Replaces {@code file} atomically with {@code position}, durable once this returns. */
    public static void write(Path file, long position) throws IOException {
        replace(file, encode(position));
    }

    /**
     * Replaces {@code file} whole with {@code bytes}, durable once this returns: written to
     * {@code .tmp}, forced, renamed over the old one, directory forced.
     */
    static void replace(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel fc = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                fc.write(b);
            }
            fc.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        forceDirectory(file.getParent());
    }

    static void forceDirectory(Path dir) {
        try (FileChannel fc = FileChannel.open(dir, StandardOpenOption.READ)) {
            fc.force(true);
        } catch (IOException e) {
            // some file systems do not allow it; the rename is still atomic
        }
    }
}
