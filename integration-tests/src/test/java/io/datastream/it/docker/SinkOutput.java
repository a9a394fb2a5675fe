package io.datastream.it.docker;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a user sees of the sink's output for one task: the finished part files (*.zst) under
 * out/&lt;task&gt;/; in-progress and pending files (names starting with '.') are skipped.
 */
final class SinkOutput {
    private SinkOutput() {
    }

    static List<Path> finishedFiles(Path taskDir) {
        if (!Files.isDirectory(taskDir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(taskDir)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith(".") && p.getFileName().toString().endsWith(".zst"))
                    .sorted().toList();
        } catch (NoSuchFileException | UncheckedIOException e) {
            return List.of(); // a bucket appeared or vanished while walking: read again later
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each committed line with how many times it appears. */
    static Map<String, Integer> lineCounts(Path taskDir) {
        Map<String, Integer> counts = new HashMap<>();
        for (Path f : finishedFiles(taskDir)) {
            try (InputStream raw = Files.newInputStream(f);
                 BufferedReader r = new BufferedReader(new InputStreamReader(new ZstdInputStream(raw), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    counts.merge(line, 1, Integer::sum);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading " + f, e);
            }
        }
        return counts;
    }

    static long total(Map<String, Integer> counts) {
        long n = 0;
        for (int c : counts.values()) {
            n += c;
        }
        return n;
    }
}
