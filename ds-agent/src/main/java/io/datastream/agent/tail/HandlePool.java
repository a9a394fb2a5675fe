package io.datastream.agent.tail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open file handles: at most files.maxOpen, opened in the order files asked for one (at most
 * {@value #OPEN_PER_ROUND} per round), the quietest drained file evicted when the limit is reached.
 * A file without a fingerprint gets a handle only when one is free. What a handle is checked for
 * once open (the stream's first bytes) is the caller's business ({@link Events#opened}). Used by the
 * tailer thread only.
 */
final class HandlePool {
    private static final Logger LOG = LoggerFactory.getLogger(HandlePool.class);
    static final int OPEN_PER_ROUND = 256;

    /** What the pool tells its owner. */
    interface Events {
        /** A handle on {@code f} is open ({@code f.channel}); {@code pendingIdentity}: it has no stream yet. */
        void opened(TrackedFile f, boolean pendingIdentity, long now);

        /** Opening {@code f} failed (not because it is gone: the next scan forgets it). */
        void openFailed(TrackedFile f, Exception e, long now);
    }

    private final int maxOpen;
    private final Events events;
    private final List<TrackedFile> open = new ArrayList<>();
    private final ArrayDeque<TrackedFile> wanted = new ArrayDeque<>();

    HandlePool(int maxOpen, Events events) {
        this.maxOpen = maxOpen;
        this.events = events;
    }

    /** The open files, in the order they were opened (the read order); closing one removes it. */
    List<TrackedFile> open() {
        return open;
    }

    int size() {
        return open.size();
    }

    boolean hasWanted() {
        return !wanted.isEmpty();
    }

    /** {@code f} wants a handle (queued once). */
    void want(TrackedFile f) {
        if (!f.wantOpen && f.channel == null && !f.removed()) {
            f.wantOpen = true;
            wanted.add(f);
        }
    }

    void close(TrackedFile f) {
        if (f.channel == null) {
            return;
        }
        try {
            f.channel.close();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", f.path, e.toString());
        }
        f.channel = null;
        f.fileClass = FileClass.INACTIVE;
        open.remove(f);
        if (f.stream() != null) {
            f.stream().source = null; // rebuilt when the file is read again: closed files hold no header bytes
        }
        LOG.debug("closed {}", f.path);
    }

    void closeAll() {
        for (TrackedFile f : new ArrayList<>(open)) {
            close(f);
        }
    }

    /** Opens files that asked for a handle, evicting drained ones at the limit. */
    void openWanted(long now) {
        int n = 0;
        while (!wanted.isEmpty() && n < OPEN_PER_ROUND) {
            TrackedFile f = wanted.peek();
            boolean pending = f.stream() == null; // identity not known yet (empty, short): followed by its handle
            if (f.removed() || f.channel != null || f.task.parked
                    || (pending && (f.skipped() || f.compression() != null || !f.pendingResolve))) {
                wanted.poll();
                f.wantOpen = false;
                continue;
            }
            if (open.size() >= maxOpen) {
                if (pending && f.present()) {
                    // a handle only if one is free: it is fingerprinted without one, and a scan follows it by inode
                    wanted.poll();
                    f.wantOpen = false;
                    f.deniedHandle = true;
                    continue;
                }
                if (!evictOne()) {
                    return; // every open file still has data to read: wait
                }
            }
            wanted.poll();
            f.wantOpen = false;
            n++;
            FileChannel ch;
            try {
                ch = FileTable.open(f);
            } catch (NoSuchFileException e) {
                continue; // gone; the next scan forgets it
            } catch (IOException | SecurityException e) {
                events.openFailed(f, e, now);
                continue;
            }
            f.channel = ch;
            open.add(f);
            events.opened(f, pending, now);
        }
    }

    /** Closes the open file quiet for longest that can be reopened and has nothing left to read. */
    private boolean evictOne() {
        TrackedFile victim = null;
        for (TrackedFile f : open) {
            boolean idle = f.stream() == null ? f.dupOf() == null : f.drained(); // no fingerprint yet: found again by the next scan
            if (f.present() && idle && (victim == null || f.lastGrowthMillis < victim.lastGrowthMillis)) {
                victim = f;
            }
        }
        if (victim == null) {
            return false;
        }
        close(victim);
        return true;
    }

    /** The directories of the fast files (where discovery need not poll: the tailer reads them anyway). */
    Set<Path> fastDirectories() {
        Set<Path> dirs = new HashSet<>();
        for (TrackedFile f : open) {
            if (f.fileClass == FileClass.FAST && f.path.getParent() != null) {
                dirs.add(f.path.getParent());
            }
        }
        return dirs;
    }
}
