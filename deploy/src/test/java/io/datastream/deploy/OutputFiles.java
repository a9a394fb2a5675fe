package io.datastream.deploy;

import com.github.luben.zstd.ZstdInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the sink's committed output: every finished (visible) .zst file under a directory. */
final class OutputFiles {
    private OutputFiles() {
    }

    static List<String> committedLines(Path outDir) {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(outDir)) {
            return lines;
        }
        try (Stream<Path> walk = Files.walk(outDir)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> p.getFileName().toString().endsWith(".zst")).sorted()::iterator) {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(
                        new ZstdInputStream(Files.newInputStream(f)), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }
}
