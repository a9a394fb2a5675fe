package io.datastream.agent.compression;

import io.datastream.protocol.codec.ZstdStreams;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * The decompressed bytes of a complete compressed file (gzip: the JDK; zstd: zstd-jni through
 * ds-protocol; bzip2: commons-compress; xz: XZ for Java) as a read-only {@link FileChannel}, so the
 * tailer reads, fingerprints and checks it like any file: positional reads at decompressed
 * offsets. Decompression is a stream: reads are cheap going forward; the first
 * {@value #HEAD_BYTES} bytes (fingerprints, content checks) and the last {@value #WINDOW_BYTES}
 * bytes read (a partial record read again) are kept; a read further back starts decompressing
 * again from the start. {@link #size()} is known after one counting pass at open. The handle on
 * the compressed file is held until close, so the file stays readable when it is deleted.
 */
public final class DecompressingChannel extends FileChannel {
    static final int HEAD_BYTES = 64 << 10;
    static final int WINDOW_BYTES = 4 << 20;

    private final FileChannel raw;
    private final Compression compression;
    private final long size;
    private final byte[] head = new byte[HEAD_BYTES];
    private final int headLength;
    private final byte[] window = new byte[WINDOW_BYTES];
    /** Decompressed offset of window[0]; the window holds [windowStart, streamPos). */
    private long windowStart;
    private InputStream in;
    private long streamPos;

    private DecompressingChannel(FileChannel raw, Compression compression) throws IOException {
        this.raw = raw;
        this.compression = compression;
        restart();
        this.headLength = readFully(head, 0, HEAD_BYTES);
        long n = headLength;
        byte[] skip = new byte[64 << 10];
        for (int r; (r = in.read(skip)) > 0; ) {
            n += r;
        }
        this.size = n;
        restart();
    }

    /**
     * Opens the compressed file and decompresses it once to learn its size; a truncated or
     * corrupt file (one still being written) is an {@link IOException}.
     */
    public static DecompressingChannel open(Path path, Compression compression) throws IOException {
        FileChannel raw = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new DecompressingChannel(raw, compression);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    public Compression compression() {
        return compression;
    }

    private void restart() throws IOException {
        if (in != null) {
            in.close();
        }
        InputStream source = Channels.newInputStream(new PositionalReader(raw));
        in = switch (compression) {
            case GZIP -> new GZIPInputStream(source, 64 << 10);
            case ZSTD -> ZstdStreams.decompressing(source);
            case BZIP2 -> new BZip2CompressorInputStream(new java.io.BufferedInputStream(source, 64 << 10), true);
            case XZ -> new XZInputStream(new java.io.BufferedInputStream(source, 64 << 10));
        };
        streamPos = 0;
        windowStart = 0;
    }

    private int readFully(byte[] b, int off, int len) throws IOException {
        int got = 0;
        while (got < len) {
            int r = in.read(b, off + got, len - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        streamPos += got;
        return got;
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - position);
        if (want == 0) {
            return 0;
        }
        if (position + want <= headLength) {
            dst.put(head, (int) position, want);
            return want;
        }
        if (position < streamPos && position >= windowStart) {
            int n = (int) Math.min(want, streamPos - position);
            dst.put(window, (int) (position - windowStart), n);
            return n;
        }
        if (position < windowStart) {
            restart();
        }
        byte[] skip = null;
        while (streamPos < position) {
            if (skip == null) {
                skip = new byte[64 << 10];
            }
            int r = in.read(skip, 0, (int) Math.min(skip.length, position - streamPos));
            if (r < 0) {
                throw new EOFException("decompressed stream ended at " + streamPos + " before " + position);
            }
            remember(skip, 0, r);
        }
        int r = dst.hasArray() ? in.read(dst.array(), dst.arrayOffset() + dst.position(), want) : -2;
        if (r == -2) {
            byte[] tmp = new byte[want];
            r = in.read(tmp, 0, want);
            if (r > 0) {
                dst.put(tmp, 0, r);
                remember(tmp, 0, r);
            }
        } else if (r > 0) {
            remember(dst.array(), dst.arrayOffset() + dst.position(), r);
            dst.position(dst.position() + r);
        }
        if (r < 0) {
            throw new EOFException("decompressed stream ended at " + streamPos + " before its size " + size);
        }
        return r;
    }

    /** Appends bytes just decompressed to the window, dropping its oldest half when full. */
    private void remember(byte[] b, int off, int len) {
        long windowLen = streamPos - windowStart;
        if (len >= WINDOW_BYTES) {
            System.arraycopy(b, off + len - WINDOW_BYTES, window, 0, WINDOW_BYTES);
            streamPos += len;
            windowStart = streamPos - WINDOW_BYTES;
            return;
        }
        if (windowLen + len > WINDOW_BYTES) {
            int keep = (int) Math.min(windowLen, WINDOW_BYTES / 2);
            keep = Math.min(keep, WINDOW_BYTES - len);
            System.arraycopy(window, (int) (windowLen - keep), window, 0, keep);
            windowStart = streamPos - keep;
            windowLen = keep;
        }
        System.arraycopy(b, off, window, (int) windowLen, len);
        streamPos += len;
    }

    private void ensureOpen() throws IOException {
        if (!isOpen()) {
            throw new java.nio.channels.ClosedChannelException();
        }
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    protected void implCloseChannel() throws IOException {
        try {
            in.close();
        } finally {
            raw.close();
        }
    }

    // ------------------------------------------------------------------ read-only, positional only

    @Override
    public int read(ByteBuffer dst) {
        throw new UnsupportedOperationException("positional reads only");
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) {
        throw new UnsupportedOperationException("positional reads only");
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) {
        throw new NonWritableChannelException();
    }

    @Override
    public int write(ByteBuffer src, long position) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() {
        throw new UnsupportedOperationException("positional reads only");
    }

    @Override
    public FileChannel position(long newPosition) {
        throw new UnsupportedOperationException("positional reads only");
    }

    @Override
    public FileChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public void force(boolean metaData) {
        // nothing to write
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) {
        throw new UnsupportedOperationException();
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) {
        throw new NonWritableChannelException();
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw new UnsupportedOperationException();
    }

    /** Sequential reads of the compressed file through positional reads, so the raw channel's position is never shared. */
    private static final class PositionalReader implements ReadableByteChannel {
        private final FileChannel ch;
        private long pos;

        PositionalReader(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int n = ch.read(dst, pos);
            if (n > 0) {
                pos += n;
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() {
            // the raw channel is closed with the DecompressingChannel
        }
    }
}
