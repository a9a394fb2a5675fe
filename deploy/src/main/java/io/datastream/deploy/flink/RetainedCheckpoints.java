package io.datastream.deploy.flink;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

/**
 * The sink's retained checkpoints and savepoints in a {@code job.checkpointDir} on any Flink file
 * system ({@code hdfs://} with the Hadoop client on the class path, {@code file://}, ...), through
 * Flink's own {@link FileSystem}: the newest complete one to resume from, and the pruning of the
 * directories earlier runs left. The layout is Flink's: a root holds one directory per job
 * ({@code <job id>/chk-N/_metadata}) or per savepoint ({@code savepoint-.../_metadata}); a
 * checkpoint or savepoint is complete when its {@code _metadata} file exists. The same rules as
 * {@link io.datastream.deploy.standalone.FlinkRestore}, which works on local paths.
 */
public final class RetainedCheckpoints {
    private static final String METADATA = "_metadata";

    private RetainedCheckpoints() {
    }

    /** The newest complete checkpoint or savepoint under the roots (by its {@code _metadata}'s modification time), as a URI string. */
    public static Optional<String> latest(String... roots) throws IOException {
        FileStatus best = null;
        for (String root : roots) {
            for (FileStatus meta : metadataFiles(new Path(root), 3)) {
                if (best == null || meta.getModificationTime() > best.getModificationTime()) {
                    best = meta;
                }
            }
        }
        return best == null ? Optional.empty() : Optional.of(best.getPath().getParent().toString());
    }

    /**
     * Deletes the leftovers of earlier runs under each root: the {@code retained} newest job or
     * savepoint directories (by their newest {@code _metadata}) and the one that holds
     * {@code keep} (what this run restores from, or null) stay, every other one, complete or
     * not, is deleted. A root inside another root (the savepoints directory) is not a job.
     * Returns how many were deleted.
     */
    public static int prune(String keep, int retained, String... roots) throws IOException {
        String keepPath = keep == null ? null : pathOf(keep);
        int deleted = 0;
        for (String root : roots) {
            Path r = new Path(root);
            FileSystem fs = r.getFileSystem();
            List<FileStatus> children = new ArrayList<>();
            for (FileStatus c : list(fs, r)) {
                String p = pathOf(c.getPath().toString());
                if (c.isDir() && Arrays.stream(roots).noneMatch(other -> pathOf(other).equals(p))) {
                    children.add(c);
                }
            }
            List<long[]> order = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                order.add(new long[] {newestMetadata(children.get(i).getPath()), i});
            }
            order.sort(Comparator.comparingLong((long[] o) -> o[0]).reversed());
            for (int rank = 0; rank < order.size(); rank++) {
                Path c = children.get((int) order.get(rank)[1]).getPath();
                String p = pathOf(c.toString());
                boolean holdsKeep = keepPath != null && (keepPath.equals(p) || keepPath.startsWith(p + "/"));
                if (rank >= retained && !holdsKeep) {
                    fs.delete(c, true);
                    deleted++;
                }
            }
        }
        return deleted;
    }

    /** The time of the newest {@code _metadata} under {@code dir}; 0 when there is none (incomplete: pruned first). */
    private static long newestMetadata(Path dir) throws IOException {
        long newest = 0;
        for (FileStatus meta : metadataFiles(dir, 2)) {
            newest = Math.max(newest, meta.getModificationTime());
        }
        return newest;
    }

    /** The {@code _metadata} files at most {@code depth} levels below {@code dir}. */
    private static List<FileStatus> metadataFiles(Path dir, int depth) throws IOException {
        List<FileStatus> found = new ArrayList<>();
        collect(dir.getFileSystem(), dir, depth, found);
        return found;
    }

    private static void collect(FileSystem fs, Path dir, int depth, List<FileStatus> found) throws IOException {
        for (FileStatus s : list(fs, dir)) {
            if (s.isDir()) {
                if (depth > 1) {
                    collect(fs, s.getPath(), depth - 1, found);
                }
            } else if (s.getPath().getName().equals(METADATA)) {
                found.add(s);
            }
        }
    }

    private static FileStatus[] list(FileSystem fs, Path dir) throws IOException {
        try {
            FileStatus[] s = fs.listStatus(dir);
            return s == null ? new FileStatus[0] : s;
        } catch (FileNotFoundException e) {
            return new FileStatus[0];
        }
    }

    /** The path part of a URI or path, without a trailing slash: file systems answer with qualified URIs. */
    private static String pathOf(String uriOrPath) {
        String p = URI.create(uriOrPath).getPath();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
