package io.datastream.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules of FlinkRestoreTest, through Flink's file system with {@code file://} URIs (HDFS: DsSinkOnHdfsIT). */
class RetainedCheckpointsTest {

    private static Path checkpoint(Path root, String job, long t) throws IOException {
        Path chk = Files.createDirectories(root.resolve(job).resolve("chk-" + t));
        Files.setLastModifiedTime(Files.writeString(chk.resolve("_metadata"), "m"), FileTime.fromMillis(t * 1000));
        return chk;
    }

    private static String uri(Path p) {
        return p.toUri().toString();
    }

    @Test
    void theNewestRunsAndTheRestoreSourceStayEverythingElseGoes(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("sink");
        Path savepoints = state.resolve("savepoints");
        Path oldest = checkpoint(state, "job-1", 1_000);
        checkpoint(state, "job-2", 2_000);
        checkpoint(state, "job-3", 3_000);
        Path newestCheckpoint = checkpoint(state, "job-4", 4_000);
        Files.createDirectories(state.resolve("job-5-incomplete").resolve("chk-1"));
        Path sp1 = Files.createDirectories(savepoints.resolve("savepoint-a"));
        Files.setLastModifiedTime(Files.writeString(sp1.resolve("_metadata"), "m"), FileTime.fromMillis(5_000_000));
        Path sp2 = Files.createDirectories(savepoints.resolve("savepoint-b"));
        Files.setLastModifiedTime(Files.writeString(sp2.resolve("_metadata"), "m"), FileTime.fromMillis(6_000_000));

        String[] roots = {uri(state), uri(savepoints)};
        assertThat(RetainedCheckpoints.latest(roots).map(s -> Path.of(java.net.URI.create(s)))).contains(sp2);
        assertThat(RetainedCheckpoints.latest(uri(state) + "job-4")).map(s -> Path.of(java.net.URI.create(s)))
                .contains(newestCheckpoint);
        int deleted = RetainedCheckpoints.prune(uri(oldest), 2, roots);
        assertThat(deleted).isEqualTo(2);
        assertThat(state.resolve("job-1")).exists();
        assertThat(state.resolve("job-2")).doesNotExist();
        assertThat(state.resolve("job-3")).exists();
        assertThat(state.resolve("job-4")).exists();
        assertThat(state.resolve("job-5-incomplete")).doesNotExist();
        assertThat(sp1).exists();
        assertThat(sp2).exists();
        assertThat(savepoints).as("the savepoints directory inside the checkpoint directory is not a job").exists();

        assertThat(RetainedCheckpoints.prune(null, 1, roots)).isEqualTo(3);
        assertThat(state.resolve("job-4")).exists();
        assertThat(sp2).exists();
        assertThat(sp1).doesNotExist();
        assertThat(RetainedCheckpoints.latest(uri(dir.resolve("nothing-here")))).isEmpty();
    }
}
