package io.datastream.agent.tail;

import io.datastream.agent.checkpoint.StreamInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tailer tells other threads: the streams changed since its last push to the checkpointer
 * ({@link #takeChanged}, the only part that clears anything), each task's counters and file
 * classes for status and metrics ({@link #snapshot}), and the list of followed files. Used by the
 * tailer thread only.
 */
final class TailerReports {
    private final List<FileStream> dirty = new ArrayList<>();
    private final int maxFilesPerTask;

    TailerReports(int maxFilesPerTask) {
        this.maxFilesPerTask = maxFilesPerTask;
    }

    /** Marks a stream as changed: it goes into the next push. */
    void dirty(FileStream s) {
        if (!s.dirty) {
            s.dirty = true;
            dirty.add(s);
        }
    }

    /** Whether a stream changed since the last {@link #takeChanged}. */
    boolean hasChanged() {
        return !dirty.isEmpty();
    }

    /** The streams changed since the last call, as the checkpoint holds them; clears the list. */
    List<StreamInfo> takeChanged(Collection<TaskRuntime> tasks) {
        List<StreamInfo> changed = new ArrayList<>(dirty.size());
        for (FileStream s : dirty) {
            s.dirty = false;
            TaskRuntime t = null;
            if (s.owner != null) {
                t = s.owner.task;
            }
            String taskId = t != null ? t.id : taskOf(tasks, s);
            if (taskId == null) {
                continue;
            }
            changed.add(new StreamInfo(taskId, s.streamId, s.fingerprint, s.fingerprintLength, s.initialOffset,
                    s.key == null ? -1 : s.key.dev(), s.key == null ? -1 : s.key.ino(), s.path == null ? "" : s.path.toString(), s.lastSeenMillis,
                    s.counted, new ArrayList<>(s.ranges)));
        }
        dirty.clear();
        return changed;
    }

    /** Each task's counters and file classes now; changes nothing. */
    TailerSnapshot snapshot(Collection<TaskRuntime> tasks, int openFiles) {
        Map<String, TaskReport> reports = new LinkedHashMap<>();
        for (TaskRuntime t : tasks) {
            int fast = 0;
            int slow = 0;
            int inactive = 0;
            int rotated = 0;
            int waiting = 0;
            int skipped = 0;
            long unread = 0;
            long oldest = 0;
            for (TrackedFile f : t.files.values()) {
                if (f.stream() == null) {
                    if (f.skipped()) {
                        skipped++;
                    } else {
                        waiting++;
                    }
                    continue;
                }
                if (!f.present()) {
                    rotated++;
                } else if (f.fileClass == FileClass.FAST) {
                    fast++;
                } else if (f.fileClass == FileClass.SLOW) {
                    slow++;
                } else {
                    inactive++;
                }
                long u = Math.max(0, Math.max(f.size, f.scannedSize) - f.stream().cursor.offset());
                unread += u;
                if (u > 0 && f.firstPendingMillis > 0 && (oldest == 0 || f.firstPendingMillis < oldest)) {
                    oldest = f.firstPendingMillis;
                }
            }
            String lastError = t.lastError;
            if (lastError == null && !t.scanErrors.isEmpty()) {
                lastError = t.scanErrors.get(0);
            }
            if (t.overLimit && lastError == null) {
                lastError = "more files match than discovery.maxFilesPerTask (" + maxFilesPerTask + "); the rest are ignored";
            }
            reports.put(t.id, new TaskReport(t.state(), t.files.size(), fast, slow, inactive, rotated, waiting, skipped, t.linesRead,
                    t.bytesRead, t.drops.lines(), t.drops.bytes(), t.splitRecords, t.errors + t.scanErrors.size(), lastError,
                    unread, oldest, t.overLimit, t.drops.bytesByReason(), t.drops.linesByReason()));
        }
        return new TailerSnapshot(reports, openFiles);
    }

    private static String taskOf(Collection<TaskRuntime> tasks, FileStream s) {
        for (TaskRuntime t : tasks) {
            if (t.streams.get(s.streamId) == s) {
                return t.id;
            }
        }
        return null;
    }

    /** Every followed file, for the agent's files endpoint. */
    static List<FileStatus> files(Collection<TaskRuntime> tasks) {
        List<FileStatus> out = new ArrayList<>();
        for (TaskRuntime t : tasks) {
            for (TrackedFile f : t.files.values()) {
                FileStream s = f.stream();
                out.add(new FileStatus(t.id, f.path.toString(), f.label(), s == null ? 0 : s.streamId, s == null ? 0 : s.cursor.offset(),
                        f.size, f.error, f.key.dev() == -2 ? -1 : f.key.ino()));
            }
        }
        return out;
    }
}
