package io.datastream.agent.tail;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a followed inode is to its task (docs/agent.md, "Identity and rotation"). The legal moves
 * are listed here once; {@link TrackedFile} makes them and throws on any other. Where the file is
 * (at its path, renamed, gone from the globs) is its {@link TrackedFile.Place}, orthogonal to this.
 * The rules that decide the moves (rename, copytruncate, truncation, inode reuse) are in
 * {@link RotationRules}.
 */
enum FileState {
    /** Found; no fingerprint yet (empty, short and still changing, or truncated): followed by inode, nothing is read. */
    PENDING_IDENTITY,
    /** Its first bytes are those of a stream read from another live inode: not read; takes the stream over if that inode goes. */
    COPY,
    /** Compressed (compressedFiles: decompress): fingerprinted through its decompressed bytes once quiet. */
    COMPRESSED,
    /** Compressed (compressedFiles: skip): never read, its bytes counted as dropped. */
    SKIPPED,
    /** Holds a stream and is read. */
    READING,
    /** Out of its task's table (deleted, released after rotation, or its task stopped). Terminal. */
    RELEASED;

    private Set<FileState> next;

    static {
        PENDING_IDENTITY.next = EnumSet.of(READING, COPY, COMPRESSED, SKIPPED, RELEASED);
        COPY.next = EnumSet.of(COPY, READING, PENDING_IDENTITY, COMPRESSED, RELEASED);
        COMPRESSED.next = EnumSet.of(READING, COPY, RELEASED);
        SKIPPED.next = EnumSet.of(PENDING_IDENTITY, RELEASED);
        READING.next = EnumSet.of(PENDING_IDENTITY, COMPRESSED, RELEASED);
        RELEASED.next = EnumSet.noneOf(FileState.class);
    }

    boolean canMoveTo(FileState target) {
        return next.contains(target);
    }
}
