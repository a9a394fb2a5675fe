package io.datastream.router.channel.filequeue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * What a channel directory holds, {@code channel.meta}: the format of its entries as configured
 * ({@code json}, {@code binary} or {@code batches}), written when the directory is first used, so
 * that a channel reopened with another format is refused at start instead of having its entries
 * misread by its sinks. Replaced whole like a {@link PositionFile} (tmp, force, rename, directory
 * forced).
 *
 * <pre>
 *  0  4  magic 0x4453514D ("DSQM")
 *  4  2  version (1)
 *  6  2  length N of the format name (UTF-8, 1..64)
 *  8  N  format name
 *  8+N 4 CRC32C of bytes 0..8+N
 * </pre>
 */
public final class ChannelMeta {
    public static final String FILE = "channel.meta";
    public static final int MAGIC = 0x4453514D;
    public static final short VERSION = 1;
    private static final int MAX_NAME = 64;

    private ChannelMeta() {
    }

    /** The format a directory's meta file names, null when there is none, or a problem (in {@code problem}). */
    record Read(String format, String problem) {
    }

    static Read read(Path dir) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(dir.resolve(FILE));
        } catch (NoSuchFileException e) {
            return new Read(null, null);
        } catch (IOException e) {
            return new Read(null, "cannot read " + dir.resolve(FILE) + ": " + e.getMessage());
        }
        return decode(bytes);
    }

    static Read decode(byte[] bytes) {
        if (bytes.length < 8 + 1 + 4) {
            return new Read(null, "size " + bytes.length + " is too small");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.getInt(0) != MAGIC || b.getShort(4) != VERSION) {
            return new Read(null, "bad magic or version");
        }
        int n = b.getShort(6) & 0xFFFF;
        if (n < 1 || n > MAX_NAME || bytes.length != 8 + n + 4) {
            return new Read(null, "bad format name length " + n);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, 8 + n);
        if ((int) crc.getValue() != b.getInt(8 + n)) {
            return new Read(null, "CRC mismatch");
        }
        return new Read(new String(bytes, 8, n, StandardCharsets.UTF_8), null);
    }

    static byte[] encode(String format) {
        byte[] name = format.getBytes(StandardCharsets.UTF_8);
        if (name.length < 1 || name.length > MAX_NAME) {
            throw new IllegalArgumentException("format name of " + name.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.allocate(8 + name.length + 4).putInt(MAGIC).putShort(VERSION).putShort((short) name.length).put(name);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 8 + name.length);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Checks that {@code dir} holds entries of {@code format}, recording it when the directory says
     * nothing yet (a new channel, or one written before this file existed, whose entries are taken
     * to be of the configured format).
     *
     * @throws IOException with one line saying what to do when the directory holds another format,
     *                     or when its meta file cannot be read while segments exist
     */
    static void check(String channel, Path dir, String format, boolean hasSegments) throws IOException {
        Read r = read(dir);
        if (r.format() != null) {
            if (!r.format().equals(format)) {
                throw new IOException("channel " + channel + ": " + dir + " holds entries of format '" + r.format()
                        + "', but the channel is configured with format '" + format + "'; drain it with format '" + r.format()
                        + "' first, or give the channel another dir");
            }
            return;
        }
        if (r.problem() != null && hasSegments) {
            throw new IOException("channel " + channel + ": " + dir.resolve(FILE) + " is unreadable (" + r.problem()
                    + "), so the format of its entries is unknown; if they are '" + format + "', delete that file and start again");
        }
        write(dir, format);
    }

    /** Replaces the directory's meta file with {@code format}, durable once this returns. */
    static void write(Path dir, String format) throws IOException {
        PositionFile.replace(dir.resolve(FILE), encode(format));
    }
}
