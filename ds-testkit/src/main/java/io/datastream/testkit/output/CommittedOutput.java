package io.datastream.testkit.output;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The sink's committed output under a directory: every finished part file ending in {@code .zst}.
 * In-progress and pending files are hidden (their names start with '.' or '_', as Flink's file
 * sink names them) and are skipped, so what this reads is exactly what a user can see.
 */
public final class CommittedOutput {
    private CommittedOutput() {
    }

    /** The finished part files under {@code dir} (recursively), sorted; empty if it does not exist. */
    public static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(CommittedOutput::isCommitted).sorted().toList();
        } catch (NoSuchFileException e) {
            return List.of(); // a bucket directory vanished while walking: try again later
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every line of every finished part file under {@code dir}, file by file. */
    public static List<String> lines(Path dir) {
        List<String> lines = new ArrayList<>();
        for (Path f : files(dir)) {
            lines.addAll(lines(f, true));
        }
        return lines;
    }

    /** The lines of one zstd part file. */
    public static List<String> lines(Path file, boolean zstd) {
        List<String> lines = new ArrayList<>();
        try (InputStream raw = Files.newInputStream(file);
             BufferedReader r = new BufferedReader(new InputStreamReader(
                     zstd ? new ZstdInputStream(raw) : raw, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        return lines;
    }

    private static boolean isCommitted(Path p) {
        String name = p.getFileName().toString();
        return name.endsWith(".zst") && !name.startsWith(".") && !name.startsWith("_");
    }
}
