package io.datastream.control.ops.store;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A task's counts per tier over a time range: for each tier, the points (epoch minute the point
 * starts at -> counts), summed over the sources (or one source). Points with no report are absent.
 */
public record Series(String task, String source, Step step, long fromMinute, long toMinute, Map<Tier, NavigableMap<Long, Counts>> tiers) {
    public Series {
        EnumMap<Tier, NavigableMap<Long, Counts>> copy = new EnumMap<>(Tier.class);
        for (Tier t : Tier.values()) {
            copy.put(t, Collections.unmodifiableNavigableMap(new TreeMap<>(tiers.getOrDefault(t, new TreeMap<>()))));
        }
        tiers = Collections.unmodifiableMap(copy);
    }

    /** The points of a tier. */
    public NavigableMap<Long, Counts> of(Tier t) {
        return tiers.get(t);
    }

    /** The counts of a tier at one point, zero when nothing was reported. */
    public Counts at(Tier t, long minute) {
        return tiers.get(t).getOrDefault(minute, Counts.zero());
    }
}
