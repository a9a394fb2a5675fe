package io.datastream.agent.tail;

import io.datastream.agent.AgentConfig;
import io.datastream.registry.member.DropReason;
import java.io.IOException;

/**
 * Files that have no fingerprint yet (empty, or short and still changing): identified by device
 * and inode alone, followed through the handle opened when a scan first listed them (docs/agent.md,
 * "Files that start empty"). Nothing is read from them until they have a fingerprint. Decides how
 * often their size is looked at through the handle, and when the handle goes back to the pool.
 * Used by the tailer thread only.
 */
final class PendingIdentity {
    /** What becomes of an open file without a fingerprint, at housekeeping. */
    enum Upkeep {
        /** Keep the handle: it may still grow, or was rotated away and may still be written. */
        KEEP,
        /** Give the handle back: a copy whose original is gone, or a file in the globs empty or short for long. */
        CLOSE,
        /** Forget it: rotated away or deleted while empty, and still empty after files.releaseAfterMs. */
        RELEASE
    }

    private final AgentConfig.FileOptions options;

    PendingIdentity(AgentConfig.FileOptions options) {
        this.options = options;
    }

    /**
     * Looks at the size of an open file without a fingerprint through its handle: every
     * files.fastPollMs while it changed (found, truncated, written) less than files.slowAfterMs ago
     * or once it left the globs, else every files.slowPollMs (sooner when a write is reported, see
     * {@link #lookSoon}). A file truncated by copytruncate starts over without a fingerprint; were it
     * looked at only every slowPollMs, a second copytruncate could move its first generation away
     * before it had one, and its copy could not be found. Bytes it loses by a truncation before it
     * had a fingerprint are counted.
     */
    void watchSize(TrackedFile f, long now) {
        boolean fast = watchedFast(f, now, options);
        if (!f.isOpen() || now - f.sizeCheckedMillis < (fast ? options.fastPollMs() : options.slowPollMs())) {
            return;
        }
        f.sizeCheckedMillis = now;
        try {
            long size = f.channel.size();
            if (size < f.size && f.dupOf() == null) {
                f.task.lost(DropReason.TRUNCATED_UNREAD, f.path, f.size - size, "the file was truncated before it had a fingerprint");
            }
            if (size != f.size) {
                f.size = size;
                f.sizeChangedMillis = now;
            }
        } catch (IOException e) {
            // the next look, or the fingerprint's read, reports it
        }
    }

    /** Whether the size of {@code f} (no fingerprint yet) is looked at every files.fastPollMs now (else every files.slowPollMs). */
    static boolean watchedFast(TrackedFile f, long now, AgentConfig.FileOptions options) {
        return !f.present() || now - f.sizeChangedMillis < options.slowAfterMs();
    }

    /**
     * A write to it was reported (inotify): its size is looked at in the next round rather than
     * after files.slowPollMs. A file that starts empty is then fingerprinted as soon as it is
     * written, not up to a poll interval later, when copytruncate may already have moved its first
     * generation away (a copy cannot be found by a fingerprint that was never taken). Always true.
     */
    boolean lookSoon(TrackedFile f) {
        f.sizeCheckedMillis = Long.MIN_VALUE / 2;
        return true;
    }

    /** How long a short file waits for more bytes: while it may still be written; once rotated away, only until quiet. */
    long shortFileWait(TrackedFile f) {
        return f.present() ? options.shortFileWaitMs() : Math.min(options.shortFileWaitMs(), options.releaseAfterMs());
    }

    Upkeep upkeep(TrackedFile f, long now) {
        if (f.dupOf() != null && !f.present()) {
            return Upkeep.CLOSE;
        }
        if (!f.present()) {
            return f.size == 0 && now - Math.max(f.sizeChangedMillis, f.rotatedAtMillis()) >= options.releaseAfterMs()
                    ? Upkeep.RELEASE : Upkeep.KEEP;
        }
        return now - Math.max(f.sizeChangedMillis, f.lastGrowthMillis) >= options.inactiveAfterMs() ? Upkeep.CLOSE : Upkeep.KEEP;
    }
}
