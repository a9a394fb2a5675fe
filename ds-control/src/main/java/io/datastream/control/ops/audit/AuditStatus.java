package io.datastream.control.ops.audit;

import java.util.Locale;

/** The verdict on one window. */
public enum AuditStatus {
    /** Younger than the finality delay: lines may still be on their way. */
    IN_FLIGHT,
    /** Every tier has the agent's count. */
    OK,
    /** A later tier has fewer lines than agents read (after the finality delay). */
    LOST,
    /** A later tier has more lines than agents read, and none has fewer. */
    DUPLICATED,
    /**
     * Every line read was acknowledged and committed once; Kafka holds more, exactly the re-sent
     * copies the sink recognised and dropped ({@code inKafka - read == duplicatesDropped}): at-least-once
     * at work, visible to other Kafka consumers, nothing lost or doubled in the output.
     */
    RESENT,
    /** Final, but no agent reported in the range: there is nothing to compare with. */
    NO_AGENT_REPORTS;

    /** in flight, ok, lost, duplicated, resent, no agent reports. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
}
