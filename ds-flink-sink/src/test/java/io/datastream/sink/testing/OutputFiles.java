package io.datastream.sink.testing;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Reads what a reader of the output sees: finished (visible) files only, decompressed. */
public final class OutputFiles {
    private OutputFiles() {
    }

    /** One output line and the bucket directory (relative to the root) of its file. */
    public record OutputLine(String bucket, String file, String text) {
    }

    /** Finished files: no path element below {@code root} starts with '.' or '_' (in-progress files are hidden). */
    public static List<Path> finished(Path root, String suffix) {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().endsWith(suffix))
                    .filter(p -> {
                        for (Path part : root.relativize(p)) {
                            String s = part.toString();
                            if (s.startsWith(".") || s.startsWith("_")) {
                                return false;
                            }
                        }
                        return true;
                    })
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every finished file, decompressed by its suffix (.zst, .gz, anything else as text). */
    public static List<OutputLine> lines(Path root, String suffix) {
        List<OutputLine> out = new ArrayList<>();
        for (Path f : finished(root, suffix)) {
            String bucket = root.relativize(f.getParent()).toString();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(open(f), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    out.add(new OutputLine(bucket, f.getFileName().toString(), line));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + f, e);
            }
        }
        return out;
    }

    /** The lines' texts only. */
    public static List<String> texts(Path root, String suffix) {
        return lines(root, suffix).stream().map(OutputLine::text).toList();
    }

    private static InputStream open(Path f) throws IOException {
        return decompressing(Files.newInputStream(f), f.getFileName().toString());
    }

    /** {@code in} decompressed by the file name's suffix (.zst, .gz, anything else as is). */
    public static InputStream decompressing(InputStream in, String name) throws IOException {
        if (name.endsWith(".zst")) {
            return new ZstdInputStream(in);
        }
        if (name.endsWith(".gz")) {
            return new GZIPInputStream(in);
        }
        return in;
    }

    /** Hidden files under root (in-progress parts and leftovers of failed attempts). */
    public static long hiddenFiles(Path root) {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
