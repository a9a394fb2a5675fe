package io.datastream.control.ops.store;

import java.util.Locale;

/** The width of a series' points. */
public enum Step {
    MINUTE(1), HOUR(60);

    private final int minutes;

    Step(int minutes) {
        this.minutes = minutes;
    }

    public int minutes() {
        return minutes;
    }

    /** The start (epoch minute) of the point holding {@code minute}. */
    public long bucket(long minute) {
        return Math.floorDiv(minute, minutes) * minutes;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The step of a wire name, or null. */
    public static Step ofWireName(String s) {
        for (Step st : values()) {
            if (st.wireName().equals(s)) {
                return st;
            }
        }
        return null;
    }
}
