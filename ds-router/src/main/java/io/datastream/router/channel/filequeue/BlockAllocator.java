package io.datastream.router.channel.filequeue;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a new segment file its blocks without writing them: {@code posix_fallocate(3)} through JNA
 * on 64-bit Linux, so that a full disk is an {@link IOException} (ENOSPC) before the file is
 * mapped, not a SIGBUS out of a write through the mapping, and no byte is written twice. Where it
 * is not available (another OS, a 32-bit JVM, the C library or JNA missing) or the file system
 * does not support it (EOPNOTSUPP, EINVAL), {@link #allocate} says so and the caller writes zeros
 * instead. Copy-on-write file systems (btrfs, ZFS) may still allocate at write time; there, put
 * segment directories on another file system or keep the zero-writing (see docs/router.md).
 * Stateless, thread-safe.
 */
final class BlockAllocator {
    private static final Logger LOG = LoggerFactory.getLogger(BlockAllocator.class);
    private static final int O_RDWR = 2;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int EINVAL = 22;
    private static final int ENOSPC = 28;
    private static final int EOPNOTSUPP = 95;

    /** What the C library offers; the method names are the C functions'. */
    interface LibC extends Library {
        int open(String path, int flags);

        int posix_fallocate(int fd, long offset, long len);

        int close(int fd);
    }

    private static final LibC LIBC = load();

    /** Whether the platform's blocks are allocated, or the caller must write zeros. */
    enum Result {
        ALLOCATED,
        UNSUPPORTED
    }

    private BlockAllocator() {
    }

    /**
     * System property: {@code false} makes every segment file get its blocks by writing zeros, as
     * before posix_fallocate was used (for FileQueueBench's comparison, or a file system whose
     * fallocate misbehaves).
     */
    static final String PROPERTY = "ds.filequeue.fallocate";

    private static LibC load() {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            LOG.info("segment files get their blocks by writing zeros (-D{}=false)", PROPERTY);
            return null;
        }
        if (!Platform.isLinux() || !Platform.is64Bit()) {
            LOG.info("segment files get their blocks by writing zeros (posix_fallocate is used on 64-bit Linux only)");
            return null;
        }
        try {
            return Native.load("c", LibC.class);
        } catch (LinkageError | RuntimeException e) {
            LOG.info("segment files get their blocks by writing zeros: posix_fallocate unavailable ({})", e.toString());
            return null;
        }
    }

    /** Whether {@code posix_fallocate} can be called here at all. */
    static boolean available() {
        return LIBC != null;
    }

    /**
     * Allocates the blocks of bytes {@code [0, size)} of the existing file {@code path} (growing it
     * to {@code size}). UNSUPPORTED when the platform or the file system cannot; the caller then
     * writes zeros. @throws IOException for ENOSPC and every other error
     */
    static Result allocate(Path path, long size) throws IOException {
        if (LIBC == null) {
            return Result.UNSUPPORTED;
        }
        int fd = LIBC.open(path.toString(), O_RDWR | O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("cannot open " + path + " to allocate it: errno " + Native.getLastError());
        }
        try {
            int rc;
            do {
                rc = LIBC.posix_fallocate(fd, 0, size); // returns the error number; errno is not set
            } while (rc == EINTR);
            if (rc == 0) {
                return Result.ALLOCATED;
            }
            if (rc == EOPNOTSUPP || rc == EINVAL) {
                return Result.UNSUPPORTED;
            }
            throw new IOException(rc == ENOSPC ? "No space left on device: posix_fallocate of " + size + " bytes for " + path
                    : "posix_fallocate of " + size + " bytes for " + path + " failed: errno " + rc);
        } finally {
            LIBC.close(fd);
        }
    }
}
