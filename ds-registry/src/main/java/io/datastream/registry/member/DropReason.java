package io.datastream.registry.member;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why an agent did not send bytes of a followed file. The names are fixed: they are keys of
 * {@link TaskStatus#droppedBytesByReason()} and the {@code reason} label of the agent's
 * {@code ds_agent_dropped_*} metrics.
 */
public enum DropReason {
    /** The cut-off rest of a record longer than the task's maxLineBytes (overLongLines: truncate). */
    OVER_LONG_LINE("overLongLine"),
    /** A compressed file (gzip, zstd, bzip2, xz) that the task does not read (compressedFiles: skip). */
    COMPRESSED("compressed"),
    /** Bytes of a file truncated (or rewritten) before they were read, with no copy to read them from. */
    TRUNCATED_UNREAD("truncatedUnread"),
    /** Bytes of a file deleted (or rotated away and deleted) before they were read. */
    DELETED_UNREAD("deletedUnread"),
    /** Bytes of a file rotated away and deleted while it waited for a handle (files.maxOpen). */
    OPEN_FILE_LIMIT("openFileLimit");

    private final String wireName;

    DropReason(String wireName) {
        this.wireName = wireName;
    }

    /** The fixed name used in status JSON and metric labels. */
    @JsonValue
    public String wireName() {
        return wireName;
    }
}
