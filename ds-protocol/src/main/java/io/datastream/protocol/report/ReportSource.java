package io.datastream.protocol.report;

import java.util.Locale;

/** The kind of component a report comes from (control's tier). */
public enum ReportSource {
    AGENT, ROUTER, SINK;

    /** The {@code source.kind} value. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
