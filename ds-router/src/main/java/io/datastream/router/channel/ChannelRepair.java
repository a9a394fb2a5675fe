package io.datastream.router.channel;

/** What a persistent channel found wrong on disk when it opened, and repaired (metric label values). */
public enum ChannelRepair {
    /** Bytes after the last valid frame of a segment (a torn write or corruption): cut off. */
    TORN_TAIL("torn_tail"),
    /** A segment whose header cannot be read: deleted with its events. */
    BAD_SEGMENT("bad_segment"),
    /** A consumer position that is unreadable or points nowhere: moved to the nearest valid position. */
    BAD_POSITION("bad_position");

    private final String label;

    ChannelRepair(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
