package io.datastream.agent.tail;

import io.datastream.agent.compression.Compression;
import io.datastream.agent.compression.DecompressingChannel;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to a followed file whose first bytes are a compression format's magic (task option
 * compressedFiles): skipped and counted once (per inode), or read through its decompressed bytes.
 * Used by the tailer thread only.
 */
final class CompressedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(CompressedFiles.class);
    private final FileTable.Handles handles;

    CompressedFiles(FileTable.Handles handles) {
        this.handles = handles;
    }

    /** A handle on {@code f}: its decompressed bytes when it is a compressed file that is read, else the file. */
    static FileChannel open(TrackedFile f) throws IOException {
        if (f.compression() != null && !f.skipped()) {
            return DecompressingChannel.open(f.path, f.compression());
        }
        return FileChannel.open(f.path, StandardOpenOption.READ);
    }

    /**
     * A file whose first bytes are a compression format's magic: never read as text. With
     * {@code compressedFiles: decompress} (gzip, zstd) it is resolved again, once it has not changed
     * for files.shortFileWaitMs, through its decompressed bytes: its fingerprint is that of the
     * decompressed content, so {@code app.log.2.gz} is the stream {@code app.log.1} was, and offsets
     * go on where they were. Otherwise it is skipped and its size counted as dropped (compressed).
     */
    boolean sniffed(TrackedFile f, Compression c, long rawSize, long now) {
        boolean decompress = f.task.spec.compressedFiles() == TaskSpec.CompressedFiles.DECOMPRESS;
        f.compressed(c, !decompress);
        f.rawSize = rawSize;
        if (f.isOpen()) {
            handles.close(f); // a raw handle is of no use
        }
        if (decompress) {
            f.size = -1;
            f.sizeChangedMillis = now;
            LOG.debug("{} is {}-compressed; it is read decompressed once it is complete", f.path, c.label());
            return false;
        }
        skip(f);
        return true;
    }

    private void skip(TrackedFile f) {
        TaskRuntime t = f.task;
        f.size = f.rawSize;
        f.scannedSize = 0;
        Long before = t.skippedByKey.get(f.key);
        if (before != null && before <= f.rawSize && f.skippedBytes == 0) {
            f.skippedBytes = before; // counted already, under this inode, by a tracked file a scan lost sight of
        }
        long add = f.rawSize - f.skippedBytes;
        if (before == null) {
            LOG.info("task {}: {} is a {} file and the task's compressedFiles is skip: not read, its {} bytes are counted as dropped "
                    + "(compressed)", t.id, f.path, f.compression().label(), f.rawSize);
        }
        if (add > 0) {
            t.drops.add(DropReason.COMPRESSED, 0, add);
            f.skippedBytes = f.rawSize;
            t.skippedByKey.put(f.key, f.rawSize);
        }
    }

    /**
     * A scan of a compressed file: a skipped one that changed is looked at again (and its growth
     * counted once). True when one read decompressed changed: the caller treats it as new content.
     */
    boolean scanned(TrackedFile f, long size, long modifiedMillis, long now) {
        if (size == f.rawSize && modifiedMillis == f.modifiedMillis) {
            return false;
        }
        boolean shrank = size < f.rawSize;
        f.modifiedMillis = modifiedMillis;
        f.rawSize = size;
        f.sizeChangedMillis = now;
        if (f.skipped()) {
            if (shrank) {
                f.skippedBytes = 0; // other content under this inode
            }
            f.compressionChanged();
            f.size = size;
            f.task.queueResolve(f); // sniffed again: still compressed (its growth is counted) or text now
        } else if (f.stream() != null) {
            if (f.isOpen()) {
                handles.close(f);
            }
            f.compressionChanged();
            return true;
        }
        return false; // not resolved yet: still being written; resolved once quiet
    }
}
