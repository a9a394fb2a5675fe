package io.datastream.router.channel.filequeue;

import static io.datastream.router.channel.filequeue.SegmentLayout.*;

import io.datastream.router.channel.Incarnation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One segment file, mapped into memory. The channel's writer appends frames (under the channel's
 * lock) and publishes each new end through {@link #end()}; readers read frames before the end
 * they saw, with absolute reads on the shared mapping. A sealed segment takes no more frames:
 * its file is cut to its end. See {@link SegmentLayout} for the bytes.
 */
final class Segment {
    /** Zeros written per call when allocating a segment file. */
    private static final int ZERO_CHUNK = 1 << 20;
    /** Room left on the file system when allocating a segment file (for position files). */
    static final long SPACE_LEFT = 256 << 10;
    final long id;
    final long basePosition;
    final Incarnation incarnation;
    final Path path;
    /** Sequence number (count since the channel opened) of the first event. */
    final long baseSeq;
    private final int capacity;
    private MappedByteBuffer map;
    private final CRC32C crc = new CRC32C();
    private final byte[] meta = new byte[PAYLOAD_META_BYTES];
    private final ByteBuffer metaBuf = ByteBuffer.wrap(meta);
    private volatile int end;
    private volatile long endPosition;
    private volatile long events;
    private volatile boolean sealed;
    /** Bytes up to which the mapping was forced (the flusher's field). */
    int forcedEnd;

    private Segment(long id, long basePosition, Incarnation incarnation, Path path, long baseSeq, MappedByteBuffer map, int capacity,
                    int end, long endPosition, long events, boolean sealed) {
        this.id = id;
        this.basePosition = basePosition;
        this.incarnation = incarnation;
        this.path = path;
        this.baseSeq = baseSeq;
        this.map = map;
        this.capacity = capacity;
        this.end = end;
        this.endPosition = endPosition;
        this.events = events;
        this.sealed = sealed;
        this.forcedEnd = end;
    }

    /**
     * A segment file whose blocks are allocated (posix_fallocate, or zeros written through a
     * {@link FileChannel}) and mapped, not yet a segment: it has a temporary name ({@code *.alloc})
     * and no header. Allocating the blocks first is what makes a full disk an {@link IOException} here rather than a SIGBUS
     * (an InternalError or a JVM crash) when a write through the mapping touches a page without a
     * block ({@code setLength} only makes a sparse file). {@link #activate} turns it into the
     * channel's next segment.
     */
    static final class Allocated {
        private final Path path;
        private MappedByteBuffer map;
        final int size;

        private Allocated(Path path, MappedByteBuffer map, int size) {
            this.path = path;
            this.map = map;
            this.size = size;
        }

        /**
         * Writes the header and renames the file to the segment's name; with {@code forceDirectory}
         * (fsync interval or always) the directory is forced after the rename.
         */
        Segment activate(Path dir, long id, long basePosition, Incarnation incarnation, long baseSeq, boolean forceDirectory)
                throws IOException {
            MappedByteBuffer m = map;
            m.putInt(MAGIC_OFFSET, MAGIC);
            m.putShort(VERSION_OFFSET, VERSION);
            m.putShort(FLAGS_OFFSET, (short) 0);
            m.putLong(SEGMENT_ID_OFFSET, id);
            m.putLong(BASE_POSITION_OFFSET, basePosition);
            m.putLong(INCARNATION_RANDOM_OFFSET, incarnation.random());
            m.putLong(INCARNATION_MILLIS_OFFSET, incarnation.startMillis());
            CRC32C c = new CRC32C();
            c.update(m.duplicate().position(0).limit(HEADER_CRC_OFFSET));
            m.putInt(HEADER_CRC_OFFSET, (int) c.getValue());
            Path target = dir.resolve(fileName(id));
            Files.move(path, target, StandardCopyOption.ATOMIC_MOVE);
            if (forceDirectory) {
                PositionFile.forceDirectory(dir); // the new name survives power loss before any put in it is answered
            }
            map = null;
            Segment s = new Segment(id, basePosition, incarnation, target, baseSeq, m, size, HEADER_BYTES, basePosition, 0, false);
            s.forcedEnd = 0;
            return s;
        }

        /** Unmaps and deletes the file (not used). */
        void discard() {
            MappedByteBuffer m = map;
            map = null;
            Unmapper.unmap(m);
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // a left-over *.alloc file is deleted when the channel next opens
            }
        }
    }

    /**
     * Creates {@code dir/<name>.alloc} of {@code size} bytes with its blocks allocated
     * ({@link BlockAllocator}: posix_fallocate, or zeros written where it is not supported) and
     * maps it. On an error (disk full: ENOSPC) the file is deleted and the error
     * thrown; a file bigger than a header is not even tried when the file system has less than
     * {@code size + }{@link #SPACE_LEFT} bytes usable.
     */
    static Allocated allocate(Path dir, String name, int size) throws IOException {
        return allocate(dir, name, size, SPACE_LEFT);
    }

    /** {@link #allocate(Path, String, int)} leaving {@code spaceLeft} bytes (tests: a negative value writes zeros anyway). */
    static Allocated allocate(Path dir, String name, int size, long spaceLeft) throws IOException {
        long usable = Files.getFileStore(dir).getUsableSpace();
        if (size > HEADER_BYTES && usable < (long) size + spaceLeft) {
            // not even trying: writing zeros until ENOSPC would fill the disk for a moment, and
            // make the position files (and other programs) fail meanwhile
            throw new IOException("no room for a segment file of " + size + " bytes: " + usable + " bytes usable, and "
                    + spaceLeft + " are left for position files");
        }
        Path path = dir.resolve(name + ALLOC_SUFFIX);
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (BlockAllocator.allocate(path, size) == BlockAllocator.Result.UNSUPPORTED) {
                writeZeros(fc, size);
            }
            return new Allocated(path, fc.map(FileChannel.MapMode.READ_WRITE, 0, size), size);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Allocates the file's blocks by writing {@code size} bytes of zeros (where posix_fallocate cannot). */
    static void writeZeros(FileChannel fc, int size) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocateDirect(Math.min(size, ZERO_CHUNK));
        long written = 0;
        while (written < size) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
            while (zeros.hasRemaining()) {
                written += fc.write(zeros, written);
            }
        }
    }

    /** Creates a new segment of {@code size} bytes (its blocks allocated) and writes its header. */
    static Segment create(Path dir, long id, long basePosition, Incarnation incarnation, long baseSeq, int size) throws IOException {
        Allocated a = allocate(dir, fileName(id), size);
        try {
            return a.activate(dir, id, basePosition, incarnation, baseSeq, true);
        } catch (IOException | RuntimeException e) {
            a.discard();
            throw e;
        }
    }

    /** A segment of an earlier run, checked by a scan: read-only, sealed at the scan's valid end. */
    static Segment sealedFromScan(Path path, SegmentScanner.Scan scan, long baseSeq) throws IOException {
        MappedByteBuffer map;
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.READ)) {
            map = fc.map(FileChannel.MapMode.READ_ONLY, 0, scan.validEnd());
        }
        SegmentScanner.Header h = scan.header();
        return new Segment(h.segmentId(), h.basePosition(), h.incarnation(), path, baseSeq, map, scan.validEnd(), scan.validEnd(),
                scan.endPosition(), scan.events(), true);
    }

    /** Size of the file while it is written. */
    int capacity() {
        return capacity;
    }

    /** Bytes left after the end (0 once sealed). */
    long free() {
        return sealed ? 0 : capacity - end;
    }

    /** Whether a frame of {@code dataLength} bytes fits after the end. */
    boolean fits(int dataLength) {
        return !sealed && (long) end + SegmentLayout.frameBytes(dataLength) <= capacity;
    }

    /** Appends a frame (the writer only, after {@link #fits}); returns its size in bytes. */
    int append(byte[] data, int lineLength, long timeMillis) {
        int at = end;
        int length = PAYLOAD_META_BYTES + data.length;
        metaBuf.putInt(0, lineLength).putLong(4, timeMillis);
        map.put(at + LINE_LENGTH_OFFSET, meta);
        map.put(at + DATA_OFFSET, data);
        crc.reset();
        crc.update(meta);
        crc.update(data);
        map.putInt(at + 4, (int) crc.getValue());
        map.putInt(at, length);
        long e = events;
        events = e + 1;
        endPosition = endPosition + lineLength + 1;
        end = at + FRAME_HEADER_BYTES + length;
        return FRAME_HEADER_BYTES + length;
    }

    /** Offset after the last published frame. */
    int end() {
        return end;
    }

    long endPosition() {
        return endPosition;
    }

    long events() {
        return events;
    }

    boolean sealed() {
        return sealed;
    }

    /** Bytes of frames (what the channel's capacity counts). */
    long frameBytes() {
        return end - HEADER_BYTES;
    }

    /** Payload length of the frame at {@code offset}. */
    int frameLength(int offset) {
        return map.getInt(offset);
    }

    int lineLength(int offset) {
        return map.getInt(offset + LINE_LENGTH_OFFSET);
    }

    long timeMillis(int offset) {
        return map.getLong(offset + TIME_OFFSET);
    }

    /** The event data of the frame at {@code offset}. */
    byte[] data(int offset) {
        byte[] out = new byte[map.getInt(offset) - PAYLOAD_META_BYTES];
        map.get(offset + DATA_OFFSET, out);
        return out;
    }

    /** Forces the frames up to the end to disk; the flusher only. */
    void force() {
        int e = end;
        if (e > forcedEnd) {
            map.force(forcedEnd, e - forcedEnd);
            forcedEnd = e;
        }
    }

    /** Takes no more frames; the file is cut to the end (readers never read past the end). */
    void seal() throws IOException {
        sealed = true;
        try (FileChannel fc = FileChannel.open(path, StandardOpenOption.WRITE)) {
            fc.truncate(end);
        }
    }

    /** Unmaps and deletes the file; no reader may be inside the segment. */
    void delete() throws IOException {
        MappedByteBuffer m = map;
        map = null;
        Unmapper.unmap(m);
        Files.deleteIfExists(path);
    }

    /** Unmaps without deleting (close). */
    void release() {
        MappedByteBuffer m = map;
        map = null;
        Unmapper.unmap(m);
    }

    @Override
    public String toString() {
        return path.getFileName() + "[base " + basePosition + ", end " + end + "]";
    }
}
