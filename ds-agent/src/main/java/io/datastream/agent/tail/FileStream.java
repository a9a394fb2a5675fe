package io.datastream.agent.tail;

import io.datastream.agent.fingerprint.FileKey;
import io.datastream.protocol.batch.BatchSource;
import java.util.ArrayList;
import java.util.List;
import io.datastream.agent.checkpoint.CountedRange;

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
    /**
     * Every line before this offset is counted as read (in this process or, from the checkpoint, in
     * an earlier one): a batch that starts below it is a re-read (after a rewind or a restart) and is
     * counted as such, not as read again. Batches are cut at it.
     */
    long counted;
    /** The read minutes of the counted lines, oldest first, at most {@link CountedRange#MAX}. */
    final java.util.ArrayDeque<CountedRange> ranges = new java.util.ArrayDeque<>();
    /**
     * After a restart, the minute the stopped process was reading new lines in (its checkpoint's open
     * minute): lines after the counted offset it may have sent in that minute without the checkpoint
     * knowing, so they are read in that minute too, up to {@link #openUntil}; -1 when none.
     */
    long openMinute = -1;
    /** The file's size when first read after the restart (-1 = not read yet): where {@link #openMinute} ends. */
    long openUntil = -1;
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

    /** Adds lines counted as read up to {@code end} in {@code minute}. */
    void counted(long end, long minute) {
        CountedRange last = ranges.peekLast();
        if (last != null && last.minute() == minute) {
            ranges.pollLast();
        } else if (ranges.size() >= CountedRange.MAX) {
            ranges.pollFirst();
        }
        ranges.addLast(new CountedRange(end, minute));
        counted = end;
    }

    /** The range holding the line at {@code offset} (below the counted offset), or the oldest kept, or null. */
    CountedRange rangeAt(long offset) {
        for (CountedRange r : ranges) {
            if (r.endOffset() > offset) {
                return r;
            }
        }
        return null;
    }

    FileStream(long streamId, long fingerprint, int fingerprintLength, long offset) {
        this.streamId = streamId;
        this.fingerprint = fingerprint;
        this.fingerprintLength = fingerprintLength;
        this.cursor = new StreamCursor(offset);
        this.initialOffset = offset;
        this.counted = offset;
    }

    @Override
    public String toString() {
        return Long.toHexString(streamId) + "@" + cursor.offset() + (path == null ? "" : " " + path);
    }
}
