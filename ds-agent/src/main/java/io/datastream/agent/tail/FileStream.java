package io.datastream.agent.tail;

import io.datastream.agent.fingerprint.FileKey;
import io.datastream.protocol.batch.BatchSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream of one task: a file's content as identified by its fingerprint, whatever its path
 * or inode. Read from one inode at a time (its owner); without an owner it is dormant (rotated
 * away, deleted, or known only from the checkpoint) and an inode that shows the same content
 * (a renamed file, a copytruncate copy, the file after an agent restart) takes it over.
 * Owned by the tailer thread.
 */
final class FileStream {
    final long streamId;
    final long fingerprint;
    final int fingerprintLength;
    final StreamCursor cursor;
    /** Where reading started in this process: what a park rewinds to when nothing was acknowledged. */
    long initialOffset;
    TrackedFile owner;
    /** Inodes with the same content while the owner is alive (copies); one takes over if the owner goes. */
    final List<TrackedFile> duplicates = new ArrayList<>(0);
    /** Where the file was last seen (shared with its TrackedFile). */
    java.nio.file.Path path;
    FileKey key;
    long lastSeenMillis;
    boolean dirty;
    long orphanedAtMillis = -1;
    /** Bytes that were never read when the owner was truncated; counted as lost unless a copy takes over. */
    long pendingLoss;
    /**
     * It left its inode because the inode was truncated (copytruncate) and no copy at least as long
     * as its offset took it over: a file in the same directory with its first bytes but shorter than
     * its offset is the copy logrotate made before the agent read the last bytes it read (all of its
     * bytes were read), never a stream of its own. Cleared when an inode takes the stream over.
     */
    boolean truncatedAway;
    /** Why pendingLoss would be lost. */
    io.datastream.registry.member.DropReason lossReason = io.datastream.registry.member.DropReason.DELETED_UNREAD;
    /** The batch header of this stream, kept only while its file is open. */
    BatchSource source;
    long sourceVersion = -1;

    FileStream(long streamId, long fingerprint, int fingerprintLength, long offset) {
        this.streamId = streamId;
        this.fingerprint = fingerprint;
        this.fingerprintLength = fingerprintLength;
        this.cursor = new StreamCursor(offset);
        this.initialOffset = offset;
    }

    @Override
    public String toString() {
        return Long.toHexString(streamId) + "@" + cursor.offset() + (path == null ? "" : " " + path);
    }
}
