package io.datastream.protocol.report;

/** The per-reason (or per-sink) maps of a minute report. */
public enum ReasonKind {
    /** Lines an agent dropped and counted, by reason ({@code droppedByReason}). */
    DROPPED("droppedByReason"),
    /** Lines a router refused, by error code ({@code refusedByReason}). */
    REFUSED("refusedByReason"),
    /** Events a router's HTTP source refused, by reason ({@code eventsRefusedByReason}). */
    EVENTS_REFUSED("eventsRefusedByReason"),
    /** Events a router's channel sinks finished (for Kafka: acknowledged), by sink name ({@code eventsWrittenBySink}). */
    EVENTS_WRITTEN("eventsWrittenBySink");

    private final String json;

    ReasonKind(String json) {
        this.json = json;
    }

    public String json() {
        return json;
    }
}
