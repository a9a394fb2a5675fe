package io.datastream.sink.eventtime;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;

/**
 * Turns a wall time without an offset into an instant in one zone. Fixed offsets are a
 * subtraction; for region zones the offset of the last quarter hour is cached (offsets change
 * at most at quarter hours), so a stream of times costs one rules lookup per quarter hour. In a
 * daylight-saving overlap the earlier offset is used, in a gap the one before it (the time moves later by
 * the gap, java.time's rule).
 */
final class LocalZone {
    private static final long SLOT_SECONDS = 900;

    private final ZoneRules rules;
    private final boolean fixed;
    private final int fixedOffset;
    private long cachedSlot = Long.MIN_VALUE;
    private int cachedOffset;

    LocalZone(ZoneId zone) {
        this.rules = zone.getRules();
        this.fixed = rules.isFixedOffset();
        this.fixedOffset = fixed ? rules.getOffset(java.time.Instant.EPOCH).getTotalSeconds() : 0;
    }

    /** Epoch seconds of the local time {@code localSeconds} (the wall time read as if UTC). */
    long toEpochSeconds(long localSeconds) {
        if (fixed) {
            return localSeconds - fixedOffset;
        }
        long slot = Math.floorDiv(localSeconds, SLOT_SECONDS);
        if (slot != cachedSlot) {
            LocalDateTime ldt = LocalDateTime.ofEpochSecond(localSeconds, 0, ZoneOffset.UTC);
            var valid = rules.getValidOffsets(ldt);
            int offset = valid.isEmpty() ? rules.getTransition(ldt).getOffsetBefore().getTotalSeconds() : valid.get(0).getTotalSeconds();
            if (valid.size() != 1) {
                return localSeconds - offset; // inside a transition: not cached
            }
            cachedSlot = slot;
            cachedOffset = offset;
        }
        return localSeconds - cachedOffset;
    }

    /** The offset at instant {@code epochMillis}, in seconds. */
    int offsetAt(long epochMillis) {
        if (fixed) {
            return fixedOffset;
        }
        return rules.getOffset(java.time.Instant.ofEpochMilli(epochMillis)).getTotalSeconds();
    }
}
