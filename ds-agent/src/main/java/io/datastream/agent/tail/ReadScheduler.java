package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.agent.batch.SendWindow;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which open file is read when, and how much (docs/agent.md, "File classes"): fast files every
 * round, slow files when a write is reported or every files.slowPollMs, one look per file per round
 * in the handle pool's order (round-robin), a file's growth lingering up to batch.lingerMs unless a
 * full batch is there, within the task's rate limit and the send window. Moves files between the
 * fast and slow classes, and says how long the tailer may wait when a round did nothing. Used by the
 * tailer thread only.
 */
final class ReadScheduler {
    /** One look at one open file. */
    interface Turn {
        /** Looks at {@code f} (reading at most one batch); true if it did work. */
        boolean look(TrackedFile f, long now);

        /** After the look: the file's class, and whether it is closed or released. */
        void after(TrackedFile f, long now);
    }

    private final AgentConfig.FileOptions opts;
    private final AgentConfig.BatchOptions batch;
    private final SendWindow window;
    /** Bytes one look may read at most. */
    private final long turnBudget;
    private final Set<Path> woken = new HashSet<>();
    /** The last round found the send window (or the compression pool) full: reading stopped for the rest of it. */
    private boolean windowFull;
    private boolean anyFast;
    private boolean lingering;

    ReadScheduler(AgentConfig.FileOptions opts, AgentConfig.BatchOptions batch, SendWindow window) {
        this.opts = opts;
        this.batch = batch;
        this.window = window;
        this.turnBudget = Math.max(1 << 20, 4L * batch.maxBytes());
    }

    /**
     * Writes to {@code paths} were reported: slow files among them are read in the next round.
     * True when that may give the next round something to do (writes to fast files do not: they are
     * polled anyway); {@code pendingWritten} says so for an open file without a fingerprint.
     */
    boolean wake(Set<Path> paths, List<TrackedFile> open, java.util.function.Predicate<TrackedFile> pendingWritten) {
        woken.addAll(paths);
        boolean wakes = false;
        for (TrackedFile f : open) {
            if (paths.contains(f.path)) {
                // no fingerprint yet: looked at now, before a copytruncate can take its first bytes away
                wakes |= f.fileClass == FileClass.SLOW || pendingWritten.test(f);
            }
        }
        return wakes;
    }

    /** One round over the open files (a file closed during its turn leaves the list). True if any look did work. */
    boolean round(List<TrackedFile> open, long now, java.util.function.BooleanSupplier running, Turn turn) {
        windowFull = false;
        anyFast = false;
        lingering = false;
        boolean worked = false;
        for (int i = 0; i < open.size() && running.getAsBoolean(); i++) {
            TrackedFile f = open.get(i);
            if (f.stream() == null || f.task.parked) {
                continue;
            }
            if (f.fileClass == FileClass.SLOW && !woken.contains(f.path) && now - f.lastCheckMillis < opts.slowPollMs()) {
                continue;
            }
            f.lastCheckMillis = now;
            if (!windowFull) {
                worked |= turn.look(f, now);
            }
            if (f.firstPendingMillis >= 0) {
                lingering = true;
            }
            turn.after(f, now);
            if (f.channel == null) {
                i--; // removed from the open list
            } else if (f.fileClass == FileClass.FAST) {
                anyFast = true;
            }
        }
        woken.clear();
        return worked;
    }

    /** A handle on a file with a stream was opened: it is read as a fast file from now. */
    void opened(TrackedFile f, long now) {
        f.fileClass = FileClass.FAST;
        f.lastGrowthMillis = now;
        f.lastCheckMillis = 0;
        f.idleSize = -1;
    }

    /** The file grew to {@code size}: fast. */
    void grew(TrackedFile f, long size, long now) {
        f.size = size;
        f.lastGrowthMillis = now;
        f.fileClass = FileClass.FAST;
    }

    /** After a look: fast while there is data left to read, slow once quiet for files.slowAfterMs. */
    void reclass(TrackedFile f, long now) {
        if (f.channel == null || f.stream() == null) {
            return;
        }
        if (!f.drained()) {
            f.fileClass = FileClass.FAST; // data left to read: read on continuously, whatever its age
        } else if (f.fileClass == FileClass.FAST && now - f.lastGrowthMillis >= opts.slowAfterMs()) {
            f.fileClass = FileClass.SLOW;
        }
    }

    /**
     * Whether {@code pending} bytes wait for more: less than a batch, and its first bytes pending for
     * less than batch.lingerMs (unless a flush is due). Starts the linger clock.
     */
    boolean lingers(TrackedFile f, long pending, boolean flush, long now) {
        if (f.firstPendingMillis < 0) {
            f.firstPendingMillis = now;
        }
        return pending < batch.maxBytes() && now - f.firstPendingMillis < batch.lingerMs() && !flush;
    }

    /** More is ready after a read: the next look does not linger. */
    void noLinger(TrackedFile f, long now) {
        f.firstPendingMillis = now - batch.lingerMs();
    }

    /** Bytes a look at {@code f} may read now: 0 when its task's rate limit or the send window says wait. */
    long budget(TrackedFile f, long now) {
        long budget = turnBudget;
        TaskRuntime t = f.task;
        if (t.bucket != null) {
            long avail = t.bucket.available(now);
            if (avail <= 0) {
                return 0;
            }
            budget = Math.min(budget, avail);
        }
        if (!window.hasRoom()) {
            windowFull = true;
            return 0;
        }
        return budget;
    }

    /**
     * Every batch builder is in flight (being compressed, or finished and not yet handed over): like
     * a full send window, reading stops for the rest of the round; the tailer is woken when the
     * compression pool hands a batch back.
     */
    void compressionFull() {
        windowFull = true;
    }

    /** How long the tailer may wait for a message after a round that did nothing. */
    long idleWaitMillis(boolean handlesWanted) {
        long wait = anyFast ? opts.fastPollMs() : Math.min(opts.slowPollMs(), 1000);
        if (lingering) {
            wait = Math.min(wait, Math.max(1, batch.lingerMs() / 2));
        }
        if (handlesWanted && !windowFull) {
            wait = Math.min(wait, opts.fastPollMs());
        }
        return wait;
    }
}
