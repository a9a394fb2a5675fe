package io.datastream.control.inventory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Members whose ZooKeeper node went away while control watched (a stopped agent, a crashed
 * router whose session expired), with their last published value and when control saw them go,
 * by control's clock. Bounded: forgotten {@link #FORGET_MS} after they went, and at most
 * {@link #MAX} are kept (the longest down are forgotten first, and counted). A member that
 * publishes again is not listed as down while it is live. Thread-safe.
 */
public final class DownMembers<T> {
    public static final int MAX = 1000;
    public static final long FORGET_MS = 24 * 3_600_000L;

    /** A member that went down: its last published value and since when (control's clock, ms). */
    public record Down<T>(String id, T last, long sinceMillis) {
    }

    private final Clock clock;
    private final int max;
    /** In the order they went down (re-inserted when a member goes down again). */
    private final LinkedHashMap<String, Down<T>> down = new LinkedHashMap<>();
    private long forgottenOverCap;

    public DownMembers(Clock clock) {
        this(clock, MAX);
    }

    DownMembers(Clock clock, int max) {
        this.clock = clock;
        this.max = max;
    }

    /** Records that the member {@code id} went away, with its last value. */
    public synchronized void wentDown(String id, T last) {
        long now = clock.millis();
        down.remove(id);
        down.put(id, new Down<>(id, last, now));
        trim(now);
        while (down.size() > max) {
            Iterator<Map.Entry<String, Down<T>>> oldest = down.entrySet().iterator();
            oldest.next();
            oldest.remove();
            forgottenOverCap++;
        }
    }

    /** The members down now (those that are not {@code live}), sorted by id. */
    public synchronized List<Down<T>> sorted(Predicate<String> live) {
        trim(clock.millis());
        List<Down<T>> out = new ArrayList<>(down.size());
        for (Down<T> d : down.values()) {
            if (!live.test(d.id())) {
                out.add(d);
            }
        }
        out.sort(Comparator.comparing(Down::id));
        return out;
    }

    /** Members forgotten before {@link #FORGET_MS} because more than {@link #MAX} were down. */
    public synchronized long forgottenOverCap() {
        return forgottenOverCap;
    }

    private void trim(long now) {
        Iterator<Down<T>> it = down.values().iterator();
        while (it.hasNext()) {
            if (now - it.next().sinceMillis() <= FORGET_MS) {
                return;
            }
            it.remove();
        }
    }
}
