package io.datastream.protocol.report;

/** The two per-reason maps of a minute report. */
public enum ReasonKind {
    /** Lines an agent dropped and counted, by reason ({@code droppedByReason}). */
    DROPPED("droppedByReason"),
    /** Lines a router refused, by error code ({@code refusedByReason}). */
    REFUSED("refusedByReason");

    private final String json;

    ReasonKind(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
