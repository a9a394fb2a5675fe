package io.datastream.deploy.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FlinkRestoreTest {

    /** A job directory with one complete checkpoint whose _metadata has time {@code t}. */
    private static Path checkpoint(Path root, String job, long t) throws IOException {
        Path chk = Files.createDirectories(root.resolve(job).resolve("chk-" + t));
        Path meta = Files.writeString(chk.resolve("_metadata"), "m");
        Files.setLastModifiedTime(meta, FileTime.fromMillis(t * 1000));
        return chk;
    }

    @Test
    void theNewestRunsAndTheRestoreSourceStayEverythingElseGoes(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("sink");
        Path savepoints = state.resolve("savepoints");
        Path oldest = checkpoint(state, "job-1", 1_000);
        checkpoint(state, "job-2", 2_000);
        checkpoint(state, "job-3", 3_000);
        checkpoint(state, "job-4", 4_000);
        Files.createDirectories(state.resolve("job-5-incomplete").resolve("chk-1"));
        Path sp1 = Files.createDirectories(savepoints.resolve("savepoint-a"));
        Files.setLastModifiedTime(Files.writeString(sp1.resolve("_metadata"), "m"), FileTime.fromMillis(5_000_000));
        Path sp2 = Files.createDirectories(savepoints.resolve("savepoint-b"));
        Files.setLastModifiedTime(Files.writeString(sp2.resolve("_metadata"), "m"), FileTime.fromMillis(6_000_000));

        assertThat(FlinkRestore.latest(state, savepoints)).contains(sp2);
        // restoring from the oldest checkpoint (--from-savepoint) keeps it, whatever its age
        int deleted = FlinkRestore.prune(oldest, 2, state, savepoints);
        assertThat(deleted).isEqualTo(2);
        assertThat(state.resolve("job-1")).exists();
        assertThat(state.resolve("job-2")).doesNotExist();
        assertThat(state.resolve("job-3")).exists();
        assertThat(state.resolve("job-4")).exists();
        assertThat(state.resolve("job-5-incomplete")).doesNotExist();
        assertThat(sp1).exists();
        assertThat(sp2).exists();
        assertThat(savepoints).as("the savepoints directory inside the checkpoint directory is not a job").exists();

        assertThat(FlinkRestore.prune(null, 1, state, savepoints)).isEqualTo(3);
        assertThat(state.resolve("job-4")).exists();
        assertThat(sp2).exists();
        assertThat(sp1).doesNotExist();
    }
}
