package io.datastream.deploy.standalone;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds the newest complete Flink checkpoint or savepoint under the sink's state directory, so a
 * restarted standalone resumes the job with its Kafka offsets and de-duplication state (a kill -9
 * leaves the last retained checkpoint; a clean stop leaves a savepoint). A checkpoint is complete
 * when its {@code _metadata} file exists.
 */
public final class FlinkRestore {
    private FlinkRestore() {
    }

    public static Optional<Path> latest(Path... roots) throws IOException {
        Path best = null;
        FileTime bestTime = null;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root, 3)) {
                for (Path meta : (Iterable<Path>) walk.filter(p -> p.getFileName().toString().equals("_metadata"))::iterator) {
                    FileTime t = Files.getLastModifiedTime(meta);
                    if (bestTime == null || t.compareTo(bestTime) > 0) {
                        best = meta.getParent();
                        bestTime = t;
                    }
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Deletes every job's checkpoints except the directory of {@code keep} (older runs' leftovers). */
    static void pruneExcept(Path checkpointsRoot, Path keep) throws IOException {
        if (!Files.isDirectory(checkpointsRoot)) {
            return;
        }
        Path keepJob = keep == null ? null : keep.getParent();
        try (Stream<Path> jobs = Files.list(checkpointsRoot)) {
            for (Path job : (Iterable<Path>) jobs::iterator) {
                if (keepJob != null && job.equals(keepJob)) {
                    continue;
                }
                deleteTree(job);
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
