package io.datastream.agent.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads the first bytes of a file and fingerprints them. One instance per thread (it reuses
 * its buffer).
 */
public final class Fingerprinter {
    private final int bytes;
    private final byte[] head;
    private final ByteBuffer buf;
    private int headLength;

    /** @param bytes how many leading bytes a full fingerprint covers */
    public Fingerprinter(int bytes) {
        this.bytes = bytes;
        this.head = new byte[bytes];
        this.buf = ByteBuffer.wrap(head);
    }

    public int fullLength() {
        return bytes;
    }

    /**
     * Reads up to {@code maxLength} (at most the full length) leading bytes of {@code path}.
     *
     * @return how many bytes were read (0 for an empty file); they are in {@link #head()}
     */
    public int readHead(Path path, int maxLength) throws IOException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            return readHead(ch, maxLength);
        }
    }

    /** Same as {@link #readHead(Path, int)} on an open channel (positional read, from offset 0). */
    public int readHead(FileChannel ch, int maxLength) throws IOException {
        buf.clear();
        buf.limit(Math.min(bytes, maxLength));
        long pos = 0;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, pos);
            if (n < 0) {
                break;
            }
            pos += n;
        }
        headLength = buf.position();
        return headLength;
    }

    /** The bytes of the last {@link #readHead} call. */
    public byte[] head() {
        return head;
    }

    public int headLength() {
        return headLength;
    }

    /** The fingerprint of the first {@code length} bytes of the last head read ({@code length} <= headLength). */
    public Fingerprint of(int length) {
        if (length <= 0 || length > headLength) {
            throw new IllegalArgumentException("length " + length + " is outside (0, " + headLength + "]");
        }
        return new Fingerprint(XxHash64.hash(head, 0, length, 0), length);
    }

    /** The stream id for the last head's first {@code length} bytes and {@code salt} (0 = the fingerprint itself). */
    public long streamId(int length, int salt) {
        return XxHash64.hash(head, 0, length, salt);
    }
}
