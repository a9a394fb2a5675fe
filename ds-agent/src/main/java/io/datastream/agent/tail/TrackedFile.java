package io.datastream.agent.tail;

import io.datastream.agent.fingerprint.FileKey;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One inode that one task follows: where it is, its handle and class, and the stream it is read
 * as (none while its fingerprint is not known yet, or while it is a copy of a stream read from
 * another inode). Owned by the tailer thread.
 */
final class TrackedFile {
    final TaskRuntime task;
    final FileKey key;
    Path path;
    /** The path changed since the file was found: it was rotated away (its partial last line is flushed once idle). */
    boolean renamed;
    /** When the file was renamed or went missing: it is released no sooner than files.releaseAfterMs after that. */
    long rotatedAtMillis = -1;
    /** Found by the task's first scan (start position "end" applies). */
    boolean fromInitialScan;
    FileStream stream;
    FileStream dupOf;
    /** Size when it was found to be a copy: a copy that grows is a file of its own. */
    long dupSize;
    /** The stream this inode held before it was truncated: never matched again. */
    FileStream excluded;
    FileChannel channel;
    FileClass fileClass = FileClass.INACTIVE;
    long size;
    /**
     * The size the last discovery scan saw. The tailer updates {@link #size} only when it looks at
     * the file, which it stops doing under back-pressure; the backlog report uses the larger.
     */
    long scannedSize;
    long modifiedMillis;
    long sizeChangedMillis;
    long lastGrowthMillis;
    long lastCheckMillis;
    /** Size at which the last read found nothing more to cut (a partial line waits). */
    long idleSize = -1;
    /** Size when the first bytes were last checked against the stream's fingerprint. */
    long verifiedSize = -1;
    /** Discovery saw the modification time change: check the first bytes even if the size did not grow. */
    boolean verifyNow;
    long timeoutFlushedSize = -1;
    long firstPendingMillis = -1;
    boolean present = true;
    long missingSinceMillis = -1;
    boolean wantOpen;
    /** In the task's queue of files to fingerprint. */
    boolean pendingResolve;
    boolean removed;
    long lastScan;
    String error;
    /** After an error, the file is not tried again before this time. */
    long retryAtMillis;
    boolean errorLogged;
    boolean dropLogged;
    /** When the size of an open file without a stream (identity pending, e.g. empty) was last checked through its handle. */
    long sizeCheckedMillis;
    /** Its handle was refused before its fingerprint was known, because files.maxOpen handles were open. */
    boolean deniedHandle;
    /** The compression format its first bytes show, or null (text). */
    io.datastream.agent.compression.Compression compression;
    /** Compressed and not read (compressedFiles: skip). */
    boolean skipped;
    /** Bytes of a skipped compressed file counted as dropped so far (its growth is counted too, once). */
    long skippedBytes;
    /** A compressed file's size on disk (its {@link #size} is the decompressed size). */
    long rawSize;

    TrackedFile(TaskRuntime task, FileKey key, Path path) {
        this.task = task;
        this.key = key;
        this.path = path;
    }

    boolean isOpen() {
        return channel != null;
    }

    /** Nothing more can be cut from the file without new data. */
    boolean drained() {
        return stream != null && !stream.cursor.skipping() && (stream.cursor.offset() >= size || idleSize == size);
    }

    String state() {
        if (error != null) {
            return "error";
        }
        if (dupOf != null) {
            return "copy";
        }
        if (skipped) {
            return "skipped";
        }
        if (stream == null) {
            return "fingerprinting";
        }
        if (!present) {
            return "rotated";
        }
        return fileClass.name().toLowerCase();
    }

    @Override
    public String toString() {
        return path + " (" + key + ")";
    }
}
