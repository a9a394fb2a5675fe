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

    /** Retained checkpoint directories of earlier runs (and savepoints) kept by default. */
    public static final int DEFAULT_RETAINED = 3;

    /**
     * Deletes the leftovers of earlier runs under each root: a root holds one directory per job
     * (checkpoints: {@code <job id>/chk-N}) or per savepoint; the {@code retained} newest of them
     * (by their newest {@code _metadata}) and the one that holds {@code keep} (what this run
     * restores from) stay, every other one, complete or not, is deleted. Returns how many were.
     */
    public static int prune(Path keep, int retained, Path... roots) throws IOException {
        int deleted = 0;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            java.util.List<Path> children;
            try (Stream<Path> list = Files.list(root)) {
                // a root may hold another root (ds sink keeps savepoints/ inside its checkpoint directory)
                children = new java.util.ArrayList<>(list.filter(Files::isDirectory)
                        .filter(c -> java.util.Arrays.stream(roots).noneMatch(r -> r.toAbsolutePath().equals(c.toAbsolutePath()))).toList());
            }
            children.sort(Comparator.comparing(FlinkRestore::newestMetadata).reversed());
            for (int i = 0; i < children.size(); i++) {
                Path c = children.get(i);
                boolean holdsKeep = keep != null && keep.toAbsolutePath().startsWith(c.toAbsolutePath());
                if (i >= retained && !holdsKeep) {
                    deleteTree(c);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The time of the newest _metadata under {@code dir}; the epoch when there is none (incomplete: pruned first). */
    private static FileTime newestMetadata(Path dir) {
        FileTime newest = FileTime.fromMillis(0);
        try (Stream<Path> walk = Files.walk(dir, 2)) {
            for (Path meta : (Iterable<Path>) walk.filter(p -> p.getFileName().toString().equals("_metadata"))::iterator) {
                FileTime t = Files.getLastModifiedTime(meta);
                if (t.compareTo(newest) > 0) {
                    newest = t;
                }
            }
        } catch (IOException e) {
            return newest;
        }
        return newest;
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
