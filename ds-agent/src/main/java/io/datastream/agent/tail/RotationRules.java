package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.discovery.Found;
import io.datastream.agent.fingerprint.FileKey;
import io.datastream.registry.member.DropReason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules of rename, copytruncate, truncation and inode reuse, in one place (docs/agent.md,
 * "Identity and rotation"). They decide which stream an inode reads and when a rotated file is
 * flushed, closed or released, and make the moves through {@link TrackedFile}'s transitions:
 *
 * <ul>
 *   <li>rename: a known inode listed at a new path is the same file ({@link #listed}); one renamed
 *       out of the globs is followed by inode in its directory ({@link #followed});</li>
 *   <li>rotated files (renamed or gone) are read to their end, their partial last line flushed once
 *       quiet for files.releaseAfterMs ({@link #finalFlushDue}), then closed (renamed, still listed)
 *       or released ({@link #afterTurn});</li>
 *   <li>truncation: the stream leaves its inode, a copy of it takes over (a listed copy, or one found
 *       in the directory: copytruncate), else its unread bytes are counted as lost after a grace;
 *       the inode starts over as a new file ({@link #contentChanged});</li>
 *   <li>copies: an inode with the bytes of a live stream is not read while that stream's inode lives
 *       ({@link #markCopy}, {@link #staticCopy});</li>
 *   <li>inode reuse: an inode continues a dormant stream only if it is not the stream its own
 *       truncation left and holds at least the stream's offset ({@link #mayContinue}).</li>
 * </ul>
 *
 * Time is the caller's {@code now}: no clock, no threads. Used by the tailer thread only.
 */
final class RotationRules {
    private static final Logger LOG = LoggerFactory.getLogger(RotationRules.class);

    /** What becomes of an open file after a look at it. */
    enum Disposal {
        KEEP,
        /** Give the handle back (drained and quiet; still followed). */
        CLOSE,
        /** Forget it (rotated away and read to its end, or its identity left it while gone). */
        RELEASE
    }

    private final AgentConfig.FileOptions options;
    private final FileTable.Handles handles;
    private final CopyFinder copies;
    private final long lossGraceMillis;

    RotationRules(AgentConfig.FileOptions options, FileTable.Handles handles, CopyFinder copies, long lossGraceMillis) {
        this.options = options;
        this.handles = handles;
        this.copies = copies;
        this.lossGraceMillis = lossGraceMillis;
    }

    // ------------------------------------------------------------------ rename, gone

    /** A scan listed {@code f} at {@code at}: renamed when the path changed (the stream follows), back if it was gone. */
    void listed(TrackedFile f, Path at, long now) {
        FileStream s = f.stream();
        if (f.listedAt(at, now) && s != null) {
            s.path = f.path;
            handles.dirty(s);
            if (!f.isOpen()) {
                handles.wantOpen(f); // its open may have failed at the old name: read to its end here
            }
        }
    }

    /** A scan did not list {@code f}. */
    void missing(TrackedFile f, long now) {
        if (f.present()) {
            f.missing(now);
            LOG.debug("{} is no longer at a matching path (open: {})", f.path, f.isOpen());
        }
    }

    /**
     * {@code f} left the globs before it was opened (or before it had a fingerprint) and its inode is
     * still in its directory as {@code found}: followed there, opened, and read to its end.
     */
    void followed(TrackedFile f, Found found) {
        Path at = found.path();
        FileStream s = f.stream();
        if (!at.equals(f.path)) {
            LOG.info(s != null ? "{} was renamed to {} (out of the task's paths) before it was read to its end; reading it there"
                    : "{} was renamed to {} (out of the task's paths) before it was fingerprinted; following it there", f.path, at);
            f.followedTo(at);
            if (s != null) {
                s.path = at;
                handles.dirty(s);
            }
        }
        if (s != null) {
            f.size = Math.max(f.size, found.stat().size());
        } else if (found.stat().size() != f.size) {
            f.size = found.stat().size();
            f.sizeChangedMillis = f.rotatedAtMillis();
        }
        handles.wantOpen(f);
    }

    // ------------------------------------------------------------------ drain and release

    /** Rotated (renamed or gone) and quiet for files.releaseAfterMs: its partial last line is flushed. */
    boolean finalFlushDue(TrackedFile f, long now) {
        return f.rotated() && now - Math.max(f.lastGrowthMillis, f.rotatedAtMillis()) >= options.releaseAfterMs();
    }

    /** What becomes of an open file after the tailer looked at it. */
    Disposal afterTurn(TrackedFile f, long now) {
        if (f.channel == null || f.stream() == null) {
            return f.channel != null && !f.present() ? Disposal.RELEASE : Disposal.KEEP;
        }
        if (finalFlushDue(f, now) && f.stream().cursor.offset() >= f.size && !f.stream().cursor.skipping()) {
            // rotated away or deleted, and read to its end: released; renamed but still matching:
            // read to its end, followed while it stays
            return f.present() ? Disposal.CLOSE : Disposal.RELEASE;
        }
        if (f.present() && now - f.lastGrowthMillis >= options.inactiveAfterMs() && f.drained()) {
            return Disposal.CLOSE;
        }
        return Disposal.KEEP;
    }

    /** Forgets a file (its removal from task.files is the caller's business); a copy takes its stream over if there is one. */
    void detach(TrackedFile f, long now, boolean countUnread) {
        f.pendingResolve = false;
        FileStream s = f.release();
        if (s != null) {
            s.owner = null;
            s.orphanedAtMillis = now;
            f.task.dormantByKey.put(f.key, s);
            long unread = Math.max(0, f.size - s.cursor.offset());
            if (countUnread && unread > 0) {
                s.pendingLoss = unread;
                s.lossReason = DropReason.DELETED_UNREAD;
            }
            if (!adoptDuplicate(s, now)) {
                s.lastSeenMillis = now;
                handles.dirty(s);
            }
        }
        if (f.isOpen()) {
            handles.close(f);
        }
    }

    // ------------------------------------------------------------------ identity

    /** {@code f} reads {@code s} from the stream's offset on. */
    void adopt(TrackedFile f, FileStream s, long now) {
        LOG.debug("{} ({}) is stream {}", f.path, f.key, s);
        if (s.key != null) {
            f.task.dormantByKey.remove(s.key, s);
        }
        f.attach(s);
        s.owner = f;
        s.orphanedAtMillis = -1;
        s.pendingLoss = 0;
        s.truncatedAway = false;
        s.key = f.key;
        s.path = f.path;
        s.lastSeenMillis = now;
        s.initialOffset = s.cursor.offset();
        f.idleSize = -1;
        f.verifiedSize = -1;
        f.firstPendingMillis = -1;
        handles.dirty(s);
        handles.wantOpen(f);
    }

    /** Inode reuse: whether {@code f} ({@code size} bytes, with {@code s}'s first bytes) may continue the dormant stream {@code s}. */
    boolean mayContinue(FileStream s, TrackedFile f, long size) {
        return s.owner == null && s != f.excluded() && s.cursor.offset() <= size;
    }

    /** {@code f} holds the first bytes of {@code s}, read from another inode: a copy, not read while that inode lives. */
    void markCopy(TrackedFile f, FileStream s, long size) {
        f.copyOf(s, size);
        s.duplicates.add(f);
    }

    /**
     * Whether a copy still waits unread: it does while it has not grown and its original lives (or
     * the original was read beyond the copy's end). Otherwise it stops being a copy: its original is
     * gone (it takes over when fingerprinted), or it grows on its own (a file of its own).
     */
    boolean staticCopy(TrackedFile f) {
        FileStream of = f.dupOf();
        if (of == null) {
            return false;
        }
        if (f.size == f.dupSize() && (of.owner != null || of.cursor.offset() > f.size)) {
            return true;
        }
        of.duplicates.remove(f);
        f.notCopy();
        return false;
    }

    /**
     * Whether {@code f} ({@code size} bytes, with the first bytes of the dormant stream {@code s}) is
     * the copy copytruncate made of {@code s}'s inode before the agent read that inode's last bytes:
     * {@code s} was truncated away, was read beyond {@code size}, and {@code f} is another inode in
     * its directory (the directory the copy is looked for in at the truncation), fingerprinted within
     * the loss grace (a discovery interval and 5 s) of the truncation: the copy existed before the
     * truncation, so the next scan lists it. Later, a file with these first bytes is a new stream.
     */
    boolean coversCopy(FileStream s, TrackedFile f, long size, long now) {
        return s.truncatedAway && now - s.orphanedAtMillis <= lossGraceMillis && s.cursor.offset() > size
                && s.key != null && !s.key.equals(f.key) && s.path != null
                && f.path.getParent() != null && f.path.getParent().equals(s.path.getParent());
    }

    // ------------------------------------------------------------------ truncation, copytruncate

    /**
     * The inode's content is no longer the stream's (it shrank below the read offset, or its
     * first bytes changed): the stream leaves it (a copy takes over, or what was not read is
     * counted as lost after a grace period), and the inode starts over as a new stream from 0.
     */
    void contentChanged(TrackedFile f, long newSize, long now) {
        contentChanged(f, newSize, f.size, now);
    }

    /** As above, when the stream's inode held {@code streamSize} bytes (before a growth that turned out to be new content). */
    void contentChanged(TrackedFile f, long newSize, long streamSize, long now) {
        f.size = Math.min(f.size, streamSize);
        if (f.stream() != null) {
            LOG.info("{} was truncated or replaced (size {} -> {}, read up to {}); reading it as a new file", f.path, f.size,
                    newSize, f.stream().cursor.offset());
        }
        FileStream s = f.leaveStream();
        if (s != null) {
            s.owner = null;
            s.orphanedAtMillis = now;
            s.pendingLoss = Math.max(0, f.size - s.cursor.offset());
            s.lossReason = DropReason.TRUNCATED_UNREAD;
            if (!adoptDuplicate(s, now) && !adoptCopy(f, s, f.size, now)) {
                s.truncatedAway = true;
                handles.dirty(s);
            }
        }
        f.size = newSize;
        f.scannedSize = newSize;
        f.sizeChangedMillis = now;
        f.startOverInPlace();
        f.idleSize = -1;
        f.verifiedSize = -1;
        f.timeoutFlushedSize = -1;
        f.firstPendingMillis = -1;
        f.fromInitialScan = false;
        f.task.queueResolve(f);
    }

    /** A copy of {@code s} takes over reading it, if there is one. */
    private boolean adoptDuplicate(FileStream s, long now) {
        List<TrackedFile> read = null;
        boolean adopted = false;
        while (!s.duplicates.isEmpty()) {
            TrackedFile d = s.duplicates.remove(0);
            if (d.removed()) {
                continue;
            }
            if (s.cursor.offset() > d.size) {
                // A copy made before the agent read the original's last bytes: every byte of it was
                // read. It stays a copy of the stream, never read (taking the stream over, it would
                // look truncated below the offset and be read again as a new stream).
                read = read == null ? new ArrayList<>() : read;
                read.add(d);
                continue;
            }
            d.pendingResolve = false;
            LOG.info("{} continues {} from offset {} (copy of a truncated or removed file)", d.path, s.path, s.cursor.offset());
            adopt(d, s, now);
            adopted = true;
            break;
        }
        if (read != null) {
            s.duplicates.addAll(read);
        }
        return adopted;
    }

    /**
     * copytruncate with a copy the globs do not match (or that no scan has seen yet): the copy is
     * found in the truncated file's directory by the stream's fingerprint and takes the stream over
     * from its offset, as a rotated file (read to its end, then released). Bytes the original held
     * beyond the copy's length were written between the copy and the truncation: lost, and counted.
     *
     * <p>Looked for even when the agent had read every byte it saw of the original: the writer may
     * have appended after the agent's last look and before the copy was made, and those bytes are
     * only in the copy (a copy must then be longer than the read offset).
     */
    private boolean adoptCopy(TrackedFile truncated, FileStream s, long oldSize, long now) {
        Path dir = truncated.path.getParent();
        if (dir == null) {
            return false;
        }
        long minSize = s.pendingLoss > 0 ? s.cursor.offset() : s.cursor.offset() + 1;
        Found c = copies.find(dir, truncated.key, minSize, s.fingerprintLength, s.fingerprint);
        if (c == null) {
            return false;
        }
        TaskRuntime t = truncated.task;
        FileKey key = c.stat().key().known() ? c.stat().key() : new FileKey(-2, c.path().toString().hashCode());
        TrackedFile copy = t.files.get(key);
        if (copy != null && (copy.stream() != null || copy.compression() != null || copy.removed())) {
            return false; // a file of its own
        }
        if (copy == null) {
            copy = new TrackedFile(t, key, c.path());
            copy.size = c.stat().size();
            copy.scannedSize = c.stat().size();
            copy.modifiedMillis = c.stat().modifiedMillis();
            copy.sizeChangedMillis = now;
            copy.lastGrowthMillis = now;
            copy.lastScan = t.scanSeq;
            copy.foundGone(now, true);
            t.files.put(key, copy);
        }
        if (copy.dupOf() != null) {
            copy.dupOf().duplicates.remove(copy);
        }
        copy.pendingResolve = false;
        LOG.info("{} was truncated at offset {} of {}; its copy {} continues it from there", truncated.path, s.cursor.offset(), oldSize,
                c.path());
        adopt(copy, s, now);
        t.lost(DropReason.TRUNCATED_UNREAD, truncated.path, oldSize - c.stat().size(),
                "written after copytruncate copied the file to " + c.path() + " and before it truncated it");
        return true;
    }
}
