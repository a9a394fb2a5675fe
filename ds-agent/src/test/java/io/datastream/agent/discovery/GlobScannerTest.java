package io.datastream.agent.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.registry.task.TaskSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobScannerTest {
    @TempDir
    Path dir;

    @Test
    void baseDirectoryAndDepthComeFromTheGlob() {
        assertThat(GlobScanner.baseDir("/var/log/app/*.log")).isEqualTo(Path.of("/var/log/app"));
        assertThat(GlobScanner.maxDepth("/var/log/app/*.log")).isEqualTo(1);
        assertThat(GlobScanner.baseDir("/var/log/*/app/*.log")).isEqualTo(Path.of("/var/log"));
        assertThat(GlobScanner.maxDepth("/var/log/*/app/*.log")).isEqualTo(3);
        assertThat(GlobScanner.maxDepth("/var/log/**/*.log")).isEqualTo(Integer.MAX_VALUE);
        assertThat(GlobScanner.baseDir("/var/log/app.log")).isEqualTo(Path.of("/var/log/app.log"));
        assertThat(GlobScanner.maxDepth("/var/log/app.log")).isZero();
    }

    @Test
    void findsRegularFilesMatchingAndNotExcluded() throws Exception {
        Files.createDirectories(dir.resolve("a/b"));
        Files.writeString(dir.resolve("a/x.log"), "x");
        Files.writeString(dir.resolve("a/b/y.log"), "y");
        Files.writeString(dir.resolve("a/b/debug.log"), "d");
        Files.writeString(dir.resolve("a/b/z.txt"), "z");
        Files.createDirectories(dir.resolve("a/dir.log"));
        Files.createSymbolicLink(dir.resolve("a/link.log"), dir.resolve("a/x.log"));
        TaskSpec t = new TaskSpec("t", List.of(dir + "/a/**.log"), List.of("**/debug.log"), null, null, null, null, null, null, null,
                null, null, null, null);
        GlobScanner.Scan s = new GlobScanner(100).scan(t);
        assertThat(s.result().files()).extracting(f -> dir.relativize(f.path()).toString())
                .containsExactlyInAnyOrder("a/x.log", "a/b/y.log", "a/link.log");
        assertThat(s.result().overLimit()).isFalse();
        assertThat(s.directories()).contains(dir.resolve("a"), dir.resolve("a/b"));
        Found link = s.result().files().stream().filter(f -> f.path().endsWith("link.log")).findFirst().orElseThrow();
        Found target = s.result().files().stream().filter(f -> f.path().endsWith("x.log")).findFirst().orElseThrow();
        assertThat(link.stat().key()).as("a symlink is the file it points to").isEqualTo(target.stat().key());
    }

    @Test
    void stopsAtTheLimitAndSaysSo() throws Exception {
        for (int i = 0; i < 50; i++) {
            Files.writeString(dir.resolve("f" + i + ".log"), "x");
        }
        TaskSpec t = TaskSpec.of("t", List.of(dir + "/*.log"), null);
        GlobScanner.Scan s = new GlobScanner(20).scan(t);
        assertThat(s.result().files()).hasSize(20);
        assertThat(s.result().overLimit()).isTrue();
    }

    @Test
    void aMissingBaseDirectoryIsNotAnError() {
        TaskSpec t = TaskSpec.of("t", List.of(dir + "/nope/*.log"), null);
        GlobScanner.Scan s = new GlobScanner(20).scan(t);
        assertThat(s.result().files()).isEmpty();
        assertThat(s.result().errors()).isEmpty();
    }
}
