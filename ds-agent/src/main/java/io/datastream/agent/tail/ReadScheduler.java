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
    /** The last round left a fast file that waits on no linger: it is looked at again a files.fastPollMs later. */
    private boolean pollFast;
    /**
     * The earliest moment a linger of the last round ends, a lingering file is expected to hold a
     * full batch, or a fast file found with nothing unread would end a linger of its next bytes;
     * MAX_VALUE: none.
     */
    private long lingerDue = Long.MAX_VALUE;
    /** The file being looked at lingered in this look. */
    private boolean lingered;
    /**
     * This round came at a linger's end: growth that has lingered half of batch.lingerMs is read
     * with it, so the files of a steady writer come to linger in step (one wake-up for all).
     */
    private boolean lingerEnded;

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
        pollFast = false;
        lingerEnded = now >= lingerDue;
        lingerDue = Long.MAX_VALUE;
        boolean worked = false;
        for (int i = 0; i < open.size() && running.getAsBoolean(); i++) {
            TrackedFile f = open.get(i);
            if (f.stream() == null || f.task.parked) {
                // no fingerprint yet: its size is watched (FileTable) every files.fastPollMs while it changes
                pollFast |= f.state() == FileState.PENDING_IDENTITY && PendingIdentity.watchedFast(f, now, opts);
                continue;
            }
            if (f.fileClass == FileClass.SLOW && !woken.contains(f.path) && now - f.lastCheckMillis < opts.slowPollMs()) {
                continue;
            }
            f.lastCheckMillis = now;
            lingered = false;
            if (!windowFull) {
                worked |= turn.look(f, now);
            }
            turn.after(f, now);
            if (f.channel == null) {
                i--; // removed from the open list
            } else if (f.fileClass == FileClass.FAST && !lingered) {
                if (f.caughtUpAtMillis == now && f.drained() && batch.lingerMs() > opts.fastPollMs()) {
                    // nothing unread: what it gets next lingers from now; looked at again when that
                    // linger would end, or when it is expected to hold a full batch (not before a files.fastPollMs)
                    long fill = f.fillMillis > 0 ? f.fillMillis : batch.lingerMs();
                    lingerDue = Math.min(lingerDue, now + Math.max(opts.fastPollMs(), Math.min(fill, batch.lingerMs())));
                } else {
                    pollFast = true;
                }
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
     * less than batch.lingerMs (unless a flush is due). Starts the linger clock, at the last time the
     * tailer found nothing of the file unread (its unread bytes arrived after that; the files read to
     * their end in one round linger together) but no earlier than one linger back, else now. A file
     * that lingers is due for its next look when its linger ends, or when it is expected to hold a
     * full batch at the rate it grew between its last two catch-ups, though not sooner than a
     * files.fastPollMs after the last of them ({@link #idleWaitMillis}); a look in a round woken for
     * another file leaves that time where it was. A steady writer's file is read about once per
     * batch, not every files.fastPollMs. In a round that comes at a linger's end,
     * growth that has lingered half of batch.lingerMs is read too, so files come to linger in step.
     */
    boolean lingers(TrackedFile f, long pending, boolean flush, long now) {
        if (f.firstPendingMillis < 0) {
            // no earlier than one linger back: the task's oldest-unread age (status) stays within a linger of the truth
            f.firstPendingMillis = f.caughtUpAtMillis >= 0 && f.caughtUpAtMillis <= now
                    ? Math.max(f.caughtUpAtMillis, now - batch.lingerMs()) : now;
        }
        long lingered = now - f.firstPendingMillis;
        if (pending >= batch.maxBytes() || lingered >= batch.lingerMs() || (lingerEnded && lingered >= batch.lingerMs() / 2) || flush) {
            return false;
        }
        long due = f.firstPendingMillis + batch.lingerMs(); // the linger's end
        if (f.fillMillis > 0 && f.caughtUpAtMillis >= 0) {
            long full = f.caughtUpAtMillis + f.fillMillis; // full by then, at the rate of its last catch-up
            if (now >= full) {
                return false; // as full as the rate says it would be: read it now rather than poll until it is
            }
            // an estimate never brings a look sooner than a files.fastPollMs after the file's catch-up. Counted
            // from the catch-up, not from this look: a round woken for another file's batch looks at this
            // one too, and must not put its next look off past the time it is expected full
            due = Math.min(due, Math.max(full, f.caughtUpAtMillis + opts.fastPollMs()));
        }
        lingerDue = Math.min(lingerDue, due);
        this.lingered = true;
        return true;
    }

    /**
     * The tailer found nothing of {@code f} unread at {@code now} (a look, or a read that cut
     * everything; {@code offset}: its stream's offset then): what it gets next lingers from now. The
     * rate it grew at since it was last caught up with says how soon it will hold a full batch.
     */
    void caughtUp(TrackedFile f, long offset, long now) {
        if (f.caughtUpAtMillis >= 0) {
            measureFill(f, offset, now);
        }
        f.caughtUpAtMillis = now;
        f.caughtUpOffset = offset;
        f.firstPendingMillis = -1;
    }

    /** How long {@code f} takes to grow by batch.maxBytes, from its growth to {@code size} since its last catch-up. */
    private void measureFill(TrackedFile f, long size, long now) {
        if (now > f.caughtUpAtMillis && size > f.caughtUpOffset) {
            f.fillMillis = (long) Math.ceil((now - f.caughtUpAtMillis) * (double) batch.maxBytes() / (size - f.caughtUpOffset));
        }
    }

    /** More is ready after a read: the next look does not linger. */
    void noLinger(TrackedFile f, long now) {
        f.firstPendingMillis = now - batch.lingerMs();
    }

    /**
     * A read stopped at a full batch, {@code offset} in the stream, with {@code rest} bytes of the
     * file still unread. Less than a batch left, and the rate the file grows at known: the rest is
     * the start of the next batch. It lingers from when it is estimated to have begun to arrive at
     * that rate (no earlier than one linger back, nor before the file's last catch-up), which
     * counts as the file's catch-up at {@code offset}, so the next look comes when the next batch
     * is expected to be full: a file that fills batch.maxBytes before its linger ends is read one
     * full batch at a time, not a full batch and then the small rest. A batch or more left, or no
     * rate yet: the next look reads on at once ({@link #noLinger}).
     *
     * <p>The rate is measured again here, from the file's size now ({@code offset + rest}) and its
     * last catch-up or the estimate that stands for one: such a file never catches up, and a rate
     * from a slower spell would otherwise stay. With it every look would come late, and the rest
     * waiting at each read would settle at a fraction of a batch (half of one at half the true
     * rate), which each line then waits on top of its batch's filling.
     */
    void readFull(TrackedFile f, long offset, long rest, long now) {
        if (rest <= 0 || rest >= batch.maxBytes() || f.fillMillis <= 0 || f.caughtUpAtMillis < 0) {
            noLinger(f, now);
            return;
        }
        measureFill(f, offset + rest, now);
        long age = Math.min(batch.lingerMs(), (long) (rest * (double) f.fillMillis / batch.maxBytes()));
        long from = Math.min(now, Math.max(now - age, f.caughtUpAtMillis));
        f.caughtUpAtMillis = from;
        f.caughtUpOffset = offset;
        f.firstPendingMillis = from;
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

    /**
     * How long the tailer may wait for a message after a round that did nothing ({@code now}): until
     * the first linger of the round ends, a files.fastPollMs while a fast file waits on no linger
     * (its growth starts one) or a file without a fingerprint is watched fast, at most
     * min(files.slowPollMs, 1 s).
     */
    long idleWaitMillis(boolean handlesWanted, long now) {
        long wait = Math.min(opts.slowPollMs(), 1000);
        if (pollFast) {
            wait = Math.min(wait, opts.fastPollMs());
        }
        if (lingerDue != Long.MAX_VALUE) {
            wait = Math.min(wait, Math.max(1, lingerDue - now));
        }
        if (handlesWanted && !windowFull) {
            wait = Math.min(wait, opts.fastPollMs());
        }
        return wait;
    }
}
