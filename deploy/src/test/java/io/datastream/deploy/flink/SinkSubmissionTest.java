package io.datastream.deploy.flink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.testkit.net.FreePorts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ds sink --submit} before and around the cluster: a bad config, a missing job jar and a
 * bad address are refused with one line and exit code 2 before anything is sent; a JobManager
 * that does not answer is exit code 1. The submission itself runs against a real session
 * cluster in integration-tests ({@code FlinkSessionIT}).
 */
class SinkSubmissionTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void captureStderr() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(savedErr);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadConfigIsRefusedBeforeAnythingIsSent(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("sink.yaml"), "job:\n  checkpointIntervall: 2s\n");
        Path jar = Files.write(dir.resolve("job.jar"), new byte[] {1});
        assertThat(SinkSubmission.submit("http://127.0.0.1:1", cfg, jar, null, null)).isEqualTo(2);
        // every problem of the file, one line each under the file's name: here exactly one
        assertThat(err()).contains("invalid sink configuration:")
                .contains("job.checkpointIntervall: unknown key, did you mean 'checkpointInterval'?").hasLineCount(2);
    }

    @Test
    void aMissingJobJarOrABadAddressIsRefused(@TempDir Path dir) throws Exception {
        assertThat(SinkSubmission.submit("http://127.0.0.1:1", null, dir.resolve("nope.jar"), null, null)).isEqualTo(2);
        assertThat(err()).contains("no job jar").contains("nope.jar").contains("--job-jar");
        Path jar = Files.write(dir.resolve("job.jar"), new byte[] {1});
        assertThat(SinkSubmission.submit("ftp://jobmanager:8081", null, jar, null, null)).isEqualTo(2);
        assertThat(err()).contains("not a JobManager REST address");
    }

    @Test
    void aJobManagerThatDoesNotAnswerIsExitCode1(@TempDir Path dir) throws Exception {
        Path jar = Files.write(dir.resolve("job.jar"), new byte[] {1});
        int port = FreePorts.next(); // nothing listens there
        assertThat(SinkSubmission.submit("127.0.0.1:" + port, null, jar, null, null)).isEqualTo(1);
        assertThat(err()).contains("submitting to http://127.0.0.1:" + port + " failed");
    }

    @Test
    void theDistributionKeepsTheJobJarBesideLib() {
        String saved = System.getProperty("ds.home");
        try {
            System.setProperty("ds.home", "/opt/datastream");
            assertThat(SinkSubmission.defaultJobJar()).isEqualTo(Path.of("/opt/datastream/flink/ds-flink-sink-job.jar"));
        } finally {
            if (saved == null) {
                System.clearProperty("ds.home");
            } else {
                System.setProperty("ds.home", saved);
            }
        }
        assertThatThrownBy(() -> new FlinkRest("http://:8081", Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    }
}
