package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.checkpoint.CheckpointEntry;
import io.datastream.agent.compression.Compression;
import io.datastream.agent.discovery.Found;
import io.datastream.agent.discovery.ScanResult;
import io.datastream.agent.fingerprint.FileKey;
import io.datastream.agent.fingerprint.FileStat;
import io.datastream.agent.fingerprint.Fingerprinter;
import io.datastream.agent.fingerprint.XxHash64;
import io.datastream.registry.member.DropReason;
import io.datastream.registry.task.TaskSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * File identity for the tailer: applies scans (new inodes, renames, files gone), fingerprints
 * new inodes and decides which stream each one is (docs/agent.md, "Identity and rotation"):
 *
 * <ul>
 *   <li>a known inode at a new path is the same file, renamed;</li>
 *   <li>a new inode whose first bytes match a dormant stream (no live inode) that is not longer
 *       than the file continues that stream from its offset: a file moved or copied, or seen again
 *       after a restart;</li>
 *   <li>a new inode whose first bytes match a stream read from a live inode is a copy: it is not
 *       read while the original lives, and takes over when the original is truncated or gone
 *       (copytruncate);</li>
 *   <li>anything else is a new stream; its id is the fingerprint, or the fingerprint hashed
 *       with a salt when that id is taken (the same first bytes with different content).</li>
 * </ul>
 */
final class FileTable {
    private static final Logger LOG = LoggerFactory.getLogger(FileTable.class);
    /** How far back start position "end" looks for the last line start. */
    private static final int END_LOOKBACK = 64 << 10;
    /** How many leading bytes tell a copy from another file with the same fingerprint. */
    static final int COMPARE_BYTES = 64 << 10;
    /** Streams with the same fingerprint looked at per new file. */
    private static final int MAX_CANDIDATES = 256;
    /** Live files with the same fingerprint compared byte for byte per new file. */
    private static final int MAX_LIVE_COMPARE = 3;
    /** Most directory entries looked at to find one file renamed out of the globs. */
    private static final int MAX_LISTED = 10_000;
    private final byte[] compareA = new byte[COMPARE_BYTES];
    private final byte[] compareB = new byte[COMPARE_BYTES];

    /** What the table needs from the tailer's handle management. */
    interface Handles {
        void wantOpen(TrackedFile f);

        void close(TrackedFile f);

        void dirty(FileStream s);
    }

    private final Fingerprinter fingerprinter;
    private final CopyFinder copies;
    private final CompressedFiles compressedFiles;
    private final PendingIdentity pending;
    private final AgentConfig.FileOptions options;
    private final long lossGraceMillis;
    private final long retentionMillis;
    private final Handles handles;
    private final RotationRules rules;

    FileTable(AgentConfig.FileOptions options, long lossGraceMillis, long retentionMillis, Handles handles) {
        this.fingerprinter = new Fingerprinter(options.fingerprintBytes());
        this.copies = new CopyFinder(fingerprinter);
        this.rules = new RotationRules(options, handles, copies, lossGraceMillis);
        this.compressedFiles = new CompressedFiles(handles);
        this.pending = new PendingIdentity(options);
        this.options = options;
        this.lossGraceMillis = lossGraceMillis;
        this.retentionMillis = retentionMillis;
        this.handles = handles;
    }

    /** Loads checkpoints of a task as dormant streams. */
    void load(TaskRuntime t, List<CheckpointEntry> entries) {
        for (CheckpointEntry e : entries) {
            if (t.streams.containsKey(e.streamId())) {
                continue;
            }
            FileStream s = new FileStream(e.streamId(), e.fingerprint(), e.fingerprintLength(), e.offset());
            s.counted = e.countedOffset();
            s.ranges.addAll(e.ranges());
            s.path = e.path().isEmpty() ? null : Path.of(e.path());
            s.key = new FileKey(e.dev(), e.ino());
            s.lastSeenMillis = e.lastSeenMillis();
            t.index(s);
            if (e.ino() >= 0) {
                t.dormantByKey.put(s.key, s);
            }
        }
        t.hadCheckpoints = !entries.isEmpty();
    }

    // ------------------------------------------------------------------ scans

    void onScan(TaskRuntime t, ScanResult r, long now) {
        t.overLimit = r.overLimit();
        t.scanErrors = r.errors();
        t.refused = r.refused();
        long seq = ++t.scanSeq;
        Set<FileKey> seen = new HashSet<>(r.files().size() * 2);
        for (Found found : r.files()) {
            FileKey key = found.stat().key().known() ? found.stat().key() : new FileKey(-2, found.path().toString().hashCode());
            if (!seen.add(key)) {
                continue; // a hard link of a file already listed
            }
            TrackedFile f = t.files.get(key);
            if (f == null) {
                f = new TrackedFile(t, key, found.path());
                f.size = found.stat().size();
                f.modifiedMillis = found.stat().modifiedMillis();
                f.sizeChangedMillis = now;
                f.lastGrowthMillis = now;
                f.fromInitialScan = t.initialScanPending;
                f.lastScan = seq;
                t.files.put(key, f);
                t.queueResolve(f);
                // Followed from first sight, empty or not: a handle (when one is free) keeps its data
                // readable if it is renamed out of the globs or deleted before it has a fingerprint.
                handles.wantOpen(f);
                continue;
            }
            f.lastScan = seq;
            rules.listed(f, found.path(), now);
            long size = found.stat().size();
            if (f.compression() != null) {
                if (compressedFiles.scanned(f, size, found.stat().modifiedMillis(), now)) {
                    contentChanged(f, size, now); // read decompressed already, and changed: looked at afresh
                }
                continue;
            }
            f.scannedSize = size;
            if (size != f.size || found.stat().modifiedMillis() != f.modifiedMillis) {
                if (f.stream() == null) {
                    f.sizeChangedMillis = now;
                    f.size = size;
                } else if (!f.isOpen()) {
                    if (size < f.size) {
                        contentChanged(f, size, now);
                    } else {
                        f.size = size;
                        handles.wantOpen(f);
                    }
                } else {
                    f.verifyNow = true; // rewritten in place to the same size? the tailer checks the first bytes
                }
                f.modifiedMillis = found.stat().modifiedMillis();
            }
        }
        MovedFiles moved = new MovedFiles();
        if (t.initialScanPending) {
            rescueDormant(t, seen, seq, now, moved);
        }
        for (Iterator<TrackedFile> it = t.files.values().iterator(); it.hasNext(); ) {
            TrackedFile f = it.next();
            if (f.lastScan == seq) {
                continue;
            }
            rules.missing(f, now);
            if (!f.isOpen()) {
                if (f.stream() != null && follow(f, moved)) {
                    continue; // renamed out of the globs before it was opened: drained from its new name
                }
                if (f.state() == FileState.PENDING_IDENTITY && followPending(f, moved)) {
                    continue; // no fingerprint yet (empty, short): followed by inode to its new name
                }
                it.remove();
                if (f.state() == FileState.PENDING_IDENTITY) {
                    t.lost(f.deniedHandle ? DropReason.OPEN_FILE_LIMIT : DropReason.DELETED_UNREAD, f.path, f.size,
                            f.deniedHandle ? "it was deleted before a handle was free (files.maxOpen) to read it"
                                    : "it was deleted before it was read");
                }
                rules.detach(f, now, true);
            }
        }
        t.initialScanPending = false;
    }

    /**
     * After a restart: streams of the checkpoint whose files the first scan did not list, because
     * they were renamed to names the task's globs do not match while the agent was down
     * ({@code app.log -> app.log.1} with {@code paths: [*.log]}). Each is looked for by its inode in
     * the directory it was last seen in; when found with bytes after the checkpoint it is tracked
     * as a rotated file, read to its end and released, like a file rotated out of the globs while
     * the agent runs. Without this its unread tail would be neither read nor counted.
     */
    private void rescueDormant(TaskRuntime t, Set<FileKey> seen, long seq, long now, MovedFiles moved) {
        for (FileStream s : new ArrayList<>(t.dormantByKey.values())) {
            if (s.path == null || s.owner != null || seen.contains(s.key) || t.files.containsKey(s.key)) {
                continue;
            }
            Found found = moved.withUnread(s.path, s.key, s.cursor.offset());
            if (found == null) {
                continue; // gone, read to its end before the restart, or replaced by a shorter file
            }
            Path at = found.path();
            FileStat st = found.stat();
            LOG.info("{} (read up to {} as {}) was renamed out of the task's paths while the agent was down; reading its last {} bytes",
                    at, s.cursor.offset(), s.path, st.size() - s.cursor.offset());
            TrackedFile f = new TrackedFile(t, s.key, at);
            f.size = st.size();
            f.scannedSize = st.size();
            f.modifiedMillis = st.modifiedMillis();
            f.sizeChangedMillis = now;
            f.lastGrowthMillis = now;
            f.lastScan = seq;
            f.foundGone(now, false);
            t.files.put(s.key, f);
            t.queueResolve(f);
        }
    }

    /**
     * A file with a stream that left the globs before it was opened: if its inode is still in
     * its directory under another name with bytes not read, it is opened there and drained.
     */
    private boolean follow(TrackedFile f, MovedFiles moved) {
        Found found = moved.withUnread(f.path, f.key, f.stream().cursor.offset());
        if (found == null) {
            return false;
        }
        rules.followed(f, found);
        return true;
    }

    /**
     * A file without a fingerprint yet (empty or short, not open) that left the globs: if its inode
     * is still in its directory under another name it stays followed there (a rotated file), and is
     * opened, fingerprinted, read to its end and released like any rotated file.
     */
    private boolean followPending(TrackedFile f, MovedFiles moved) {
        Found found = moved.withUnread(f.path, f.key, -1);
        if (found == null) {
            return false;
        }
        rules.followed(f, found);
        return true;
    }

    /**
     * Inodes of the directories looked at during one scan, listed at most once each (and at most
     * {@link #MAX_LISTED} entries per directory), to find files renamed out of the globs.
     */
    private static final class MovedFiles {
        private final Map<Path, Map<FileKey, Found>> listings = new HashMap<>();

        /**
         * The file with inode {@code key} in the directory of {@code lastPath}, under any name, if
         * it holds bytes after {@code offset}; null otherwise.
         */
        Found withUnread(Path lastPath, FileKey key, long offset) {
            Path dir = lastPath.getParent();
            if (dir == null || !key.known()) {
                return null;
            }
            Found f = listings.computeIfAbsent(dir, MovedFiles::list).get(key);
            return f != null && f.stat().size() > offset ? f : null;
        }

        private static Map<FileKey, Found> list(Path dir) {
            Map<FileKey, Found> byKey = new HashMap<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                int n = 0;
                for (Path p : ds) {
                    if (++n > MAX_LISTED) {
                        LOG.warn("{} holds more than {} entries; renamed files beyond them are not looked for", dir, MAX_LISTED);
                        break;
                    }
                    try {
                        FileStat st = FileStat.of(p);
                        if (st.regular() && st.key().known()) {
                            byKey.put(st.key(), new Found(p, st));
                        }
                    } catch (IOException | SecurityException e) {
                        // vanished or unreadable: not the file we look for
                    }
                }
            } catch (IOException | SecurityException e) {
                LOG.debug("cannot list {}: {}", dir, e.toString());
            }
            return byKey;
        }
    }

    /** Forgets a file (its removal from task.files is the caller's business). */
    void detach(TrackedFile f, long now, boolean countUnread) {
        rules.detach(f, now, countUnread);
    }

    // ------------------------------------------------------------------ fingerprints

    /**
     * Looks at up to {@code examine} waiting files (round-robin) and fingerprints at most
     * {@code budget} of them; returns how many it fingerprinted.
     */
    int resolvePending(TaskRuntime t, long now, int examine, int budget) {
        int n = 0;
        for (int i = 0; i < examine && n < budget && !t.unresolved.isEmpty(); i++) {
            TrackedFile f = t.unresolved.poll();
            if (!f.pendingResolve || f.removed() || f.stream() != null) {
                f.pendingResolve = false;
                continue;
            }
            if (waiting(f, now)) {
                t.unresolved.add(f);
                continue;
            }
            n++;
            if (resolve(f, now)) {
                f.pendingResolve = false;
            } else {
                t.unresolved.add(f);
            }
        }
        return n;
    }

    /** A write to an open file was reported (inotify): true if it has no fingerprint yet, and is looked at in the next round. */
    boolean written(TrackedFile f) {
        return f.state() == FileState.PENDING_IDENTITY && pending.lookSoon(f);
    }

    /** Not worth fingerprinting yet: a static copy, empty, too short and still changing, or after an error. */
    private boolean waiting(TrackedFile f, long now) {
        if (rules.staticCopy(f)) {
            return true; // a static copy of a file read elsewhere, or read beyond the copy's end
        }
        if (f.compression() != null) {
            return now - f.sizeChangedMillis < options.shortFileWaitMs() || now < f.retryAtMillis; // complete once quiet
        }
        pending.watchSize(f, now); // identity pending with a handle: its size through the handle, wherever it was renamed to
        if (f.size <= 0 || now < f.retryAtMillis) {
            return true; // nothing to identify (or read) yet
        }
        return f.size < options.fingerprintBytes() && now - f.sizeChangedMillis < pending.shortFileWait(f);
    }

    /** Fingerprints one file and attaches it to a stream (or marks it a copy); false to try again later. */
    boolean resolve(TrackedFile f, long now) {
        TaskRuntime t = f.task;
        int head;
        long size;
        try {
            if (f.isOpen()) {
                size = f.channel.size();
                head = fingerprinter.readHead(f.channel, (int) Math.min(size, options.fingerprintBytes()));
            } else {
                try (FileChannel ch = open(f)) {
                    size = ch.size();
                    head = fingerprinter.readHead(ch, (int) Math.min(size, options.fingerprintBytes()));
                }
            }
        } catch (NoSuchFileException e) {
            return false; // gone; the next scan drops it
        } catch (IOException | SecurityException e) {
            fileError(f, e);
            f.retryAtMillis = now + 5_000;
            return false;
        }
        f.error = null;
        if (f.compression() == null && head > 0) {
            Compression c = Compression.sniff(fingerprinter.head(), head);
            if (c != null) {
                return compressedFiles.sniffed(f, c, size, now);
            }
        }
        if (size != f.size) {
            f.size = size;
            if (head < options.fingerprintBytes()) {
                f.sizeChangedMillis = now;
                return false; // a short file still growing: wait until it is full-length or quiet
            }
        }
        if (head <= 0) {
            return false;
        }
        // 1. the stream this very inode held before (a restart, a file that was closed): a map lookup
        FileStream dormant = null;
        FileStream byKey = t.dormantByKey.get(f.key);
        if (byKey != null && byKey.fingerprintLength <= head && fingerprinter.streamId(byKey.fingerprintLength, 0) == byKey.fingerprint
                && rules.mayContinue(byKey, f, size)) {
            dormant = byKey;
        }
        // 2. other streams with these first bytes (bounded: many files may share a header)
        List<FileStream> live = new ArrayList<>(MAX_LIVE_COMPARE);
        FileStream covered = null;
        if (dormant == null) {
            for (int len : t.fingerprintLengths) {
                if (len > head) {
                    break;
                }
                List<FileStream> list = t.byFingerprint.get(new TaskRuntime.FpKey(len, fingerprinter.streamId(len, 0)));
                if (list == null) {
                    continue;
                }
                int seen = 0;
                for (FileStream s : list) {
                    if (++seen > MAX_CANDIDATES) {
                        break;
                    }
                    if (s == f.excluded()) {
                        continue;
                    }
                    if (s.owner == null) {
                        if (rules.mayContinue(s, f, size) && better(s, dormant, f.key)) {
                            dormant = s;
                        } else if (covered == null && rules.coversCopy(s, f, size, now)) {
                            covered = s;
                        }
                    } else if (s.owner != f && live.size() < MAX_LIVE_COMPARE) {
                        live.add(s);
                    }
                }
            }
        }
        if (dormant != null) {
            rules.adopt(f, dormant, now);
            return true;
        }
        try {
            for (FileStream l : live) {
                Same same = sameContent(f, l, size);
                if (same == Same.LATER) {
                    return false; // decided in a later round
                }
                if (same == Same.YES) {
                    rules.markCopy(f, l, size);
                    return false; // stays waiting: it takes over when the original goes
                }
            }
        } catch (NoSuchFileException e) {
            return false; // one of the two was renamed since the last scan: compared after the next one
        }
        if (covered != null) {
            // copytruncate's copy, listed after the truncation was seen, of a stream read beyond the
            // copy's end: every byte of it was read; read again it would be a second identity
            LOG.info("{} is a copy of {} (truncated), which was read beyond its end; it is not read", f.path, covered);
            rules.markCopy(f, covered, size);
            return false; // stays waiting, like any static copy
        }
        long id = fingerprinter.streamId(head, 0);
        if (t.streams.containsKey(id)) {
            // Same first bytes, other content: a salted id; start probing at a salt from the inode
            // so that thousands of files with one header do not probe one by one.
            int salt = 1 + (int) ((f.key.ino() * 0x9E3779B97F4A7C15L + f.key.dev()) >>> 40);
            do {
                id = fingerprinter.streamId(head, salt++);
            } while (t.streams.containsKey(id));
        }
        long start = 0;
        if (f.fromInitialScan && !t.hadCheckpoints && t.spec.startPosition() == TaskSpec.StartPosition.END) {
            start = lineStartBefore(f, size);
        }
        FileStream s = new FileStream(id, fingerprinter.streamId(head, 0), head, start);
        t.index(s);
        rules.adopt(f, s, now);
        return true;
    }

    /**
     * A handle on the inode {@code f} is, opened by its path (its decompressed bytes when it is a
     * compressed file that is read). The path is what the last scan saw:
     * when the file was renamed since and another file took its name (rotation in create mode), the
     * handle would be on that other file, and the stream would read, fingerprint or verify the wrong
     * bytes. So the path is looked at again after the open; when it names another inode now, the
     * handle is closed and {@link NoSuchFileException} says the file is not there (the next scan
     * finds it at its new name, or follows it by inode in its directory).
     */
    static FileChannel open(TrackedFile f) throws IOException {
        FileChannel ch = CompressedFiles.open(f);
        FileKey at;
        try {
            at = FileStat.of(f.path).key();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (at.known() && f.key.known() && !at.equals(f.key)) {
            ch.close();
            throw new NoSuchFileException(f.path.toString(), null, "renamed: the path is now inode " + at + ", not " + f.key);
        }
        return ch;
    }

    /**
     * Whether {@code f} holds the same bytes as the live file {@code original} over their first
     * {@value #COMPARE_BYTES} bytes (or their common length): a copy, not another file that merely
     * starts with the same header.
     */
    private Same sameContent(TrackedFile f, FileStream live, long fSize) throws NoSuchFileException {
        TrackedFile original = live.owner;
        if (original == null) {
            return Same.YES;
        }
        try {
            int na = readPrefix(f, compareA);
            int nb = readPrefix(original, compareB);
            if (currentSize(original) < live.cursor.offset() || !holdsStreamHead(compareB, nb, live)) {
                // The original shrank below what was read of it, or its first bytes are no longer the
                // stream's: copytruncate truncated it after making this copy (and the writer may have
                // written past the read offset since), and the tailer has not seen it yet (its growth
                // lingers, or it waits for room in the send window). Its bytes are no longer the
                // stream's, so they cannot tell whether this is the copy; once the tailer has seen the
                // truncation the stream is dormant and this file is matched to it as its copy (or the
                // truncation finds it in the directory). The tailer is asked to look at the original's
                // first bytes at its next turn rather than when it reads again.
                original.verifyNow = true;
                if (!original.isOpen()) {
                    handles.wantOpen(original); // verified when opened
                }
                return Same.LATER;
            }
            int n = Math.min(na, nb);
            return java.util.Arrays.equals(compareA, 0, n, compareB, 0, n) ? Same.YES : Same.NO;
        } catch (NoSuchFileException e) {
            throw e; // renamed or gone since the last scan: decided again after the next one
        } catch (IOException e) {
            return Same.YES; // cannot tell: do not read it twice
        }
    }

    /** Whether the first {@code n} bytes of {@code head} start with the bytes {@code s} is identified by. */
    private static boolean holdsStreamHead(byte[] head, int n, FileStream s) {
        return n >= s.fingerprintLength && XxHash64.hash(head, 0, s.fingerprintLength, 0) == s.fingerprint;
    }

    /** Whether a file holds the same bytes as a live stream's file. */
    private enum Same {
        YES, NO,
        /** cannot tell now: ask again in a later round */
        LATER
    }

    private static long currentSize(TrackedFile f) throws IOException {
        if (f.channel != null) {
            return f.channel.size();
        }
        return FileStat.of(f.path).size();
    }

    private static int readPrefix(TrackedFile f, byte[] into) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(into);
        FileChannel ch = f.channel;
        boolean close = false;
        if (ch == null) {
            ch = open(f);
            close = true;
        }
        try {
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) {
                // keep reading
            }
            return b.position();
        } finally {
            if (close) {
                ch.close();
            }
        }
    }

    private static boolean better(FileStream candidate, FileStream current, FileKey key) {
        if (current == null) {
            return true;
        }
        boolean cKey = key.equals(candidate.key);
        boolean oKey = key.equals(current.key);
        if (cKey != oKey) {
            return cKey;
        }
        return candidate.cursor.offset() > current.cursor.offset();
    }

    /** Start position "end": after the last newline before {@code size} (or {@code size}). */
    private static long lineStartBefore(TrackedFile f, long size) {
        if (size == 0) {
            return 0;
        }
        int n = (int) Math.min(size, END_LOOKBACK);
        ByteBuffer b = ByteBuffer.allocate(n);
        try (FileChannel ch = open(f)) {
            long from = size - n;
            while (b.hasRemaining()) {
                if (ch.read(b, from + b.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            return size;
        }
        byte[] a = b.array();
        for (int i = b.position() - 1; i >= 0; i--) {
            if (a[i] == '\n') {
                return size - n + i + 1;
            }
        }
        return size;
    }

    // ------------------------------------------------------------------ truncation, inode reuse

    /** The inode's content is no longer the stream's: see {@link RotationRules#contentChanged}. */
    void contentChanged(TrackedFile f, long newSize, long now) {
        rules.contentChanged(f, newSize, now);
    }

    /** As above, when the stream's inode held {@code streamSize} bytes (before a growth that turned out to be new content). */
    void contentChanged(TrackedFile f, long newSize, long streamSize, long now) {
        rules.contentChanged(f, newSize, streamSize, now);
    }

    RotationRules rules() {
        return rules;
    }

    /** Checks that an inode still holds its stream's first bytes (after it was closed for a while). */
    boolean verify(TrackedFile f) throws IOException {
        FileStream s = f.stream();
        int got = fingerprinter.readHead(f.channel, s.fingerprintLength);
        return got == s.fingerprintLength && fingerprinter.streamId(got, 0) == s.fingerprint;
    }

    // ------------------------------------------------------------------ upkeep

    /** Counts losses whose grace ran out and forgets dormant streams past retention. */
    void housekeeping(TaskRuntime t, long now) {
        List<FileStream> expired = null;
        for (FileStream s : t.streams.values()) {
            if (s.owner != null) {
                if (now - s.lastSeenMillis >= 60_000) {
                    s.lastSeenMillis = now;
                    handles.dirty(s);
                }
                continue;
            }
            if (s.pendingLoss > 0 && s.orphanedAtMillis >= 0 && now - s.orphanedAtMillis >= lossGraceMillis) {
                t.lost(s.lossReason, s.path, s.pendingLoss, s.lossReason == DropReason.TRUNCATED_UNREAD
                        ? "the file was truncated before they were read, and no copy of it was found"
                        : "the file was deleted before they were read");
                s.pendingLoss = 0;
            }
            if (s.duplicates.isEmpty() && now - s.lastSeenMillis > retentionMillis) {
                if (expired == null) {
                    expired = new ArrayList<>();
                }
                expired.add(s);
            }
        }
        if (expired != null) {
            for (FileStream s : expired) {
                t.unindex(s);
            }
        }
    }

    /** What becomes of an open file without a fingerprint at housekeeping. */
    PendingIdentity.Upkeep pendingUpkeep(TrackedFile f, long now) {
        return pending.upkeep(f, now);
    }

    void fileError(TrackedFile f, Exception e) {
        String msg = f.path + ": " + (e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString());
        if (!msg.equals(f.error)) {
            f.error = msg;
            f.task.error(msg);
            if (!f.errorLogged) {
                f.errorLogged = true;
                LOG.warn("cannot read {}", msg);
            }
        }
    }
}
