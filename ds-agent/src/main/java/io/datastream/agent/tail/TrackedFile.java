package io.datastream.agent.tail;

import io.datastream.agent.compression.Compression;
import io.datastream.agent.fingerprint.FileKey;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * One inode that one task follows: what it is ({@link FileState}), where it is ({@link Place}),
 * its handle and class, and the stream it is read as. Its state and place change only through the
 * transition methods below, which throw on a move {@link FileState} does not allow; the rules that
 * call them are in {@link RotationRules}. The other fields are the tailer's read bookkeeping.
 * Owned by the tailer thread.
 */
final class TrackedFile {
    /** Where the inode is, as the task's scans see it. */
    enum Place {
        /** Listed by the last scan at the path it was found at (or was truncated at). */
        LISTED,
        /** Listed at another path than it was found at: rotated within the globs, read to its end. */
        RENAMED,
        /** Not listed by the last scan (rotated out of the globs, or deleted): read to its end, then released. */
        GONE
    }

    final TaskRuntime task;
    final FileKey key;
    Path path;
    private FileState state = FileState.PENDING_IDENTITY;
    private Place place = Place.LISTED;
    /** With {@link Place#GONE}: it had been renamed before it went (renamed again if it shows up again). */
    private boolean renamedBeforeGone;
    /** When the file was renamed or went missing: it is released no sooner than files.releaseAfterMs after that. */
    private long rotatedAtMillis = -1;
    /** Found by the task's first scan (start position "end" applies). */
    boolean fromInitialScan;
    /** The stream it is read as ({@link FileState#READING}), else null. */
    private FileStream stream;
    /** The stream it is a copy of ({@link FileState#COPY}), else null. */
    private FileStream dupOf;
    /** Size when it was found to be a copy: a copy that grows is a file of its own. */
    private long dupSize;
    /** The stream this inode held before it was truncated: never matched again. */
    private FileStream excluded;
    /** The compression format its first bytes show, or null (text). */
    private Compression compression;
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
    /** Bytes known to be the stream's: the size (or the offset read to) when the first bytes were last found to be its own. */
    long verifiedSize = -1;
    /** Discovery saw the modification time change: check the first bytes even if the size did not grow. */
    boolean verifyNow;
    long timeoutFlushedSize = -1;
    long firstPendingMillis = -1;
    /**
     * The last time the tailer found nothing of it unread (a look, or a read that cut everything): its
     * unread bytes arrived after that, so their linger counts from there; -1: not yet. After a read
     * that stopped at a full batch with less than a batch left, the time the rest is estimated to
     * have begun to arrive ({@link ReadScheduler#readFull}).
     */
    long caughtUpAtMillis = -1;
    /** Its stream's offset at {@link #caughtUpAtMillis}. */
    long caughtUpOffset;
    /** How long it took to grow by batch.maxBytes at the rate between its last two catch-ups; -1: unknown. */
    long fillMillis = -1;
    boolean wantOpen;
    /** In the task's queue of files to fingerprint. */
    boolean pendingResolve;
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
    /** Bytes of a skipped compressed file counted as dropped so far (its growth is counted too, once). */
    long skippedBytes;
    /** A compressed file's size on disk (its {@link #size} is the decompressed size). */
    long rawSize;

    TrackedFile(TaskRuntime task, FileKey key, Path path) {
        this.task = task;
        this.key = key;
        this.path = path;
    }

    // ------------------------------------------------------------------ reading the state

    FileState state() {
        return state;
    }

    Place place() {
        return place;
    }

    FileStream stream() {
        return stream;
    }

    FileStream dupOf() {
        return dupOf;
    }

    long dupSize() {
        return dupSize;
    }

    FileStream excluded() {
        return excluded;
    }

    Compression compression() {
        return compression;
    }

    long rotatedAtMillis() {
        return rotatedAtMillis;
    }

    boolean removed() {
        return state == FileState.RELEASED;
    }

    boolean skipped() {
        return state == FileState.SKIPPED;
    }

    /** Listed by the last scan (at its path or another). */
    boolean present() {
        return place != Place.GONE;
    }

    /** Renamed since it was found (or truncated), whether still listed or not. */
    boolean renamed() {
        return place == Place.RENAMED || (place == Place.GONE && renamedBeforeGone);
    }

    /** Renamed or gone: read to its end, its partial last line flushed once quiet, then closed or released. */
    boolean rotated() {
        return place != Place.LISTED;
    }

    boolean isOpen() {
        return channel != null;
    }

    /** Nothing more can be cut from the file without new data. */
    boolean drained() {
        return stream != null && !stream.cursor.skipping() && (stream.cursor.offset() >= size || idleSize == size);
    }

    // ------------------------------------------------------------------ transitions of the state

    private void move(FileState target) {
        if (!state.canMoveTo(target)) {
            throw new IllegalStateException(this + ": illegal move " + state + " -> " + target);
        }
        state = target;
    }

    /** Reads {@code s} from now on (a new stream, a dormant one it continues, or one whose inode went). */
    void attach(FileStream s) {
        move(FileState.READING);
        dupOf = null;
        stream = s;
    }

    /**
     * Its content is no longer its stream's (truncated, rewritten, or replaced): it starts over
     * without an identity (a compressed file read decompressed waits to be quiet again), and never takes this stream again. Returns the stream it left (null if none).
     */
    FileStream leaveStream() {
        FileStream s = stream;
        if (s != null) {
            move(compression != null ? FileState.COMPRESSED : FileState.PENDING_IDENTITY);
            stream = null;
            excluded = s;
        }
        return s;
    }

    /** Its first bytes are those of {@code s}, read from another inode: a copy, not read while that inode lives. */
    void copyOf(FileStream s, long sizeNow) {
        move(FileState.COPY);
        dupOf = s;
        dupSize = sizeNow;
    }

    /** No longer a copy (its original went, or it grew on its own): waits for its identity again. */
    void notCopy() {
        if (state != FileState.COPY) {
            throw new IllegalStateException(this + ": not a copy (" + state + ")");
        }
        dupOf = null;
        move(compression != null ? FileState.COMPRESSED : FileState.PENDING_IDENTITY);
    }

    /** Its first bytes show compression {@code c}: read decompressed later, or skipped. */
    void compressed(Compression c, boolean skip) {
        move(skip ? FileState.SKIPPED : FileState.COMPRESSED);
        compression = c;
    }

    /**
     * A compressed file changed: a skipped one is sniffed again (it waits for its identity), one
     * read decompressed forgets its format (its new content is looked at afresh when it leaves its stream).
     */
    void compressionChanged() {
        if (state == FileState.SKIPPED) {
            move(FileState.PENDING_IDENTITY);
        } else if (state != FileState.READING) {
            throw new IllegalStateException(this + ": compression changed while " + state);
        }
        compression = null;
    }

    /** Out of the task's table; returns the stream it held or was a copy of's link it dropped (the stream, or null). */
    FileStream release() {
        move(FileState.RELEASED);
        FileStream s = stream;
        stream = null;
        if (dupOf != null) {
            dupOf.duplicates.remove(this);
            dupOf = null;
        }
        return s;
    }

    /** Its task stopped: out of the table, its stream kept as it is (the stream's position is stashed with the task). */
    void retire() {
        move(FileState.RELEASED);
    }

    // ------------------------------------------------------------------ transitions of the place

    /** A scan listed it at {@code at}: renamed when the path changed, back when it was gone. True if the path changed. */
    boolean listedAt(Path at, long now) {
        boolean moved = !path.equals(at);
        if (moved) {
            path = at;
            rotatedAtMillis = now;
        }
        if (moved || place == Place.RENAMED || (place == Place.GONE && renamedBeforeGone)) {
            place = Place.RENAMED;
        } else {
            place = Place.LISTED;
        }
        renamedBeforeGone = false;
        return moved;
    }

    /** A scan did not list it: rotated out of the globs or deleted (the time is kept from when it first went). */
    void missing(long now) {
        if (place != Place.GONE) {
            renamedBeforeGone = place == Place.RENAMED;
            place = Place.GONE;
            rotatedAtMillis = now;
        }
    }

    /** Found under another name outside the globs (followed by inode in its directory). */
    void followedTo(Path at) {
        if (place != Place.GONE) {
            throw new IllegalStateException(this + ": followed to " + at + " while " + place);
        }
        path = at;
        renamedBeforeGone = true;
    }

    /** Tracked from first sight as gone from the globs (a file found outside them): released once read to its end. */
    void foundGone(long now, boolean renamedAway) {
        place = Place.GONE;
        renamedBeforeGone = renamedAway;
        rotatedAtMillis = now;
    }

    /** Truncated or replaced in place: a new file at its path, no longer a rotated one. */
    void startOverInPlace() {
        if (place == Place.RENAMED) {
            place = Place.LISTED;
        }
        renamedBeforeGone = false;
    }

    /** The status shown for it (the agent's files endpoint). */
    String label() {
        if (error != null) {
            return "error";
        }
        if (dupOf != null) {
            return "copy";
        }
        if (state == FileState.SKIPPED) {
            return "skipped";
        }
        if (stream == null) {
            return "fingerprinting";
        }
        if (!present()) {
            return "rotated";
        }
        return fileClass.name().toLowerCase();
    }

    @Override
    public String toString() {
        return path + " (" + key + ")";
    }
}
