package io.datastream.agent.tail;

import io.datastream.agent.checkpoint.CountedRange;

/**
 * The minute each batch's lines are read in (docs/agent.md, "Counts across a crash"). With
 * {@link #persistKeys} (the agent, with reports on), new lines are read only in a minute a written
 * checkpoint holds as its open minute: each report that sees a new minute announces it, and new
 * lines wait until {@link #persisted} says a checkpoint with it is written. A re-read keeps the
 * minute its lines were first read in; after a restart, the lines the stopped process may have
 * sent unknown to its checkpoint keep the minute it was reading in. The tailer thread, but for the
 * two volatile settings made before it runs.
 */
final class ReadMinutes {
    /** Minutes back that a restarted agent still reads in the minute its stopped process was reading in. */
    static final long OPEN_MINUTE_MAX_AGE = 30;
    /** Whether new lines are read only in a minute a written checkpoint holds as its open minute. */
    private volatile boolean keysPersisted;
    /** With {@link #keysPersisted}: the stopped process's open minute, for the lines it may have sent unknown to the checkpoint. */
    private volatile long restartOpenMinute = -1;
    /** The minute new lines are read in (-1 = none yet: wait for the first checkpoint). */
    private long keyMinute = -1;
    /** A minute announced to the checkpointer and not written yet: new lines wait for it. */
    private long pendingMinute = -1;

    /** @param stoppedOpenMinute the loaded checkpoint's open minute (-1 = none) */
    void persistKeys(long stoppedOpenMinute) {
        this.restartOpenMinute = stoppedOpenMinute;
        this.keysPersisted = true;
    }

    /** A checkpoint holding {@code openMinute} is written; true when new lines may be read again. */
    boolean persisted(long openMinute) {
        if (pendingMinute >= 0 && openMinute >= pendingMinute) {
            keyMinute = pendingMinute;
            pendingMinute = -1;
            return true;
        }
        return false;
    }

    /** The open minute a report announces (-1 without {@link #persistKeys}); a new minute makes new lines wait. */
    long openMinute(long now) {
        if (!keysPersisted) {
            return -1;
        }
        long m = Math.floorDiv(now, 60_000L);
        if (pendingMinute < 0 && keyMinute != m) {
            pendingMinute = m; // new lines wait from now until a checkpoint holds it
        }
        return pendingMinute >= 0 ? pendingMinute : keyMinute;
    }

    /**
     * The minute of a batch of {@code s} starting at {@code start} ({@code size}: the file's size
     * now; {@code counted}: the range holding {@code start} when it is a re-read, else null), or -1
     * when its lines must wait in the file (their minute is not in a written checkpoint yet).
     */
    long minuteOf(FileStream s, long start, long size, CountedRange counted, long now) {
        long minute = Math.floorDiv(now, 60_000L);
        if (s.openUntil < 0) { // first read in this process
            s.openUntil = size;
            s.openMinute = restartOpenMinute;
        }
        if (start < s.counted) {
            return counted == null ? minute : Math.min(minute, counted.minute());
        } else if (s.openMinute >= 0 && start < s.openUntil && minute - s.openMinute <= OPEN_MINUTE_MAX_AGE) {
            return Math.min(minute, s.openMinute);
        } else if (keysPersisted) {
            s.openMinute = -1;
            if (keyMinute < 0 || pendingMinute >= 0) {
                return -1;
            }
            return Math.min(minute, keyMinute);
        }
        return minute;
    }
}
