package io.datastream.agent.discovery;

import java.nio.file.Path;
import java.util.Set;

/** Receives discovery's findings; both calls come from the discovery thread and must not block. */
public interface DiscoveryListener {
    /** A task's files now. */
    void onScan(ScanResult result);

    /**
     * inotify saw writes to these files (coalesced over a few milliseconds): a hint to check the
     * slow ones now rather than at their next poll.
     */
    void onWrites(Set<Path> files);

    /**
     * Directories holding files that are read continuously anyway (polled, fast): inotify write
     * events for them are not wanted, since a busy logger would cause one per write. Called often
     * by the discovery thread; must be cheap (an immutable snapshot).
     */
    default Set<Path> busyDirectories() {
        return Set.of();
    }
}
