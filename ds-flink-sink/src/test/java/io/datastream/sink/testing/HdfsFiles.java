package io.datastream.sink.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Reads the sink's output in HDFS the way a downstream reader does, through Hadoop's
 * {@link FileSystem} API: finished (visible) files only, decompressed.
 */
public final class HdfsFiles {
    private final FileSystem fs;

    public HdfsFiles(FileSystem fs) {
        this.fs = fs;
    }

    /** Finished files: no path element below {@code root} starts with '.' or '_' (in-progress files are hidden). */
    public List<Path> finished(Path root, String suffix) {
        return files(root, suffix, false);
    }

    /** Hidden files below {@code root}: in-progress parts, and leftovers of a cancelled attempt. */
    public List<Path> hidden(Path root) {
        return files(root, "", true);
    }

    private List<Path> files(Path root, String suffix, boolean hidden) {
        List<Path> out = new ArrayList<>();
        try {
            if (!fs.exists(root)) {
                return out;
            }
            String base = fs.makeQualified(root).toUri().getPath();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                Path p = it.next().getPath();
                if (!p.getName().endsWith(suffix)) {
                    continue;
                }
                if (isHidden(base, p) == hidden) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + root, e);
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    private static boolean isHidden(String base, Path p) {
        String rel = p.toUri().getPath().substring(base.length());
        for (String part : rel.split("/")) {
            if (part.startsWith(".") || part.startsWith("_")) {
                return true;
            }
        }
        return false;
    }

    /** Every line of every finished file, with its bucket directory relative to {@code root}. */
    public List<OutputFiles.OutputLine> lines(Path root, String suffix) {
        List<OutputFiles.OutputLine> out = new ArrayList<>();
        String base = fs.makeQualified(root).toUri().getPath();
        for (Path f : finished(root, suffix)) {
            String bucket = f.getParent().toUri().getPath().substring(base.length() + 1);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    OutputFiles.decompressing(fs.open(f), f.getName()), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(new OutputFiles.OutputLine(bucket, f.getName(), line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + f, e);
            }
        }
        return out;
    }

    /** The lines' texts only. */
    public List<String> texts(Path root, String suffix) {
        return lines(root, suffix).stream().map(OutputFiles.OutputLine::text).toList();
    }

    /**
     * The newest complete checkpoint under {@code <checkpointDir>/<job id>/}: the {@code chk-<n>}
     * directory with the highest n that holds a {@code _metadata} file (what an operator passes to
     * {@code flink run -s}).
     */
    public Optional<Path> latestCheckpoint(Path jobCheckpoints) {
        try {
            if (!fs.exists(jobCheckpoints)) {
                return Optional.empty();
            }
            Path best = null;
            long bestId = -1;
            for (FileStatus s : fs.listStatus(jobCheckpoints)) {
                String name = s.getPath().getName();
                if (!s.isDirectory() || !name.matches("chk-\\d+")) {
                    continue;
                }
                long id = Long.parseLong(name.substring(4));
                if (id > bestId && fs.exists(new Path(s.getPath(), "_metadata"))) {
                    best = s.getPath();
                    bestId = id;
                }
            }
            return Optional.ofNullable(best);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + jobCheckpoints, e);
        }
    }
}
