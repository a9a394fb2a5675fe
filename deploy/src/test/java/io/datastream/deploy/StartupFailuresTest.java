package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.testkit.net.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every startup failure a user can cause prints one line naming the cause and the flag that fixes
 * it, exits non-zero, and shows a stack trace only with --verbose; nothing is started.
 */
class StartupFailuresTest {

    /** The exit code and what the command printed on stderr. */
    private record Run(int exit, String err) {
        String firstLine() {
            return err.lines().findFirst().orElse("");
        }
    }

    private static Run ds(String... args) {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = Ds.commandLine();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        int exit = cl.execute(args);
        return new Run(exit, err.toString());
    }

    /** standalone on free ports in {@code dir}; {@code overrides} are flag/value pairs (or a lone --verbose). */
    private static String[] standalone(Path dir, String... overrides) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (String flag : List.of("--zookeeper-port", "--kafka-port", "--kafka-controller-port", "--router-port",
                "--router-http-port", "--control-port", "--agent-http-port", "--sink-metrics-port")) {
            flags.put(flag, String.valueOf(FreePorts.next()));
        }
        List<String> a = new ArrayList<>(List.of("standalone", "--data-dir", dir.toString(), "--progress-interval", "0"));
        for (int i = 0; i < overrides.length; i++) {
            if (overrides[i].equals("--verbose")) {
                a.add("--verbose");
            } else {
                flags.put(overrides[i], overrides[++i]);
            }
        }
        flags.forEach((k, v) -> {
            a.add(k);
            a.add(v);
        });
        return a.toArray(String[]::new);
    }

    @Test
    void aPortInUseNamesThePortAndItsFlag(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = taken.getLocalPort();
            Run r = ds(standalone(dir, "--zookeeper-port", String.valueOf(port)));
            assertThat(r.exit()).isEqualTo(Ds.FAILED);
            assertThat(r.firstLine()).isEqualTo("ds standalone: port " + port + " (--zookeeper-port) is already in use"
                    + " (another ds standalone?): stop that program, or choose other ports with the flags named");
            assertThat(r.err()).doesNotContain("\tat ");
            assertThat(dir.resolve("zk")).doesNotExist();
        }
    }

    @Test
    void twoFlagsOnOnePortAreNamed(@TempDir Path dir) {
        int port = FreePorts.next();
        Run r = ds(standalone(dir, "--kafka-port", String.valueOf(port), "--control-port", String.valueOf(port)));
        assertThat(r.exit()).isEqualTo(Ds.FAILED);
        assertThat(r.firstLine()).isEqualTo("ds standalone: --control-port and --kafka-port are both " + port + ": give each its own port");
    }

    @Test
    void anOutputDirectoryThatIsAFileIsNamed(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("out"), "not a directory");
        Run r = ds(standalone(dir));
        assertThat(r.exit()).isEqualTo(Ds.FAILED);
        assertThat(r.firstLine()).isEqualTo("ds standalone: " + dir.resolve("out")
                + " exists but is not a directory: move it away, or choose another --data-dir");
        assertThat(r.err()).doesNotContain("\tat ");
    }

    @Test
    void anInvalidPortIsNamedWithItsFlag(@TempDir Path dir) {
        Run r = ds(standalone(dir, "--router-port", "70000"));
        assertThat(r.exit()).isEqualTo(Ds.FAILED);
        assertThat(r.firstLine()).isEqualTo("ds standalone: router-port: must be a TCP port in [1, 65535], was 70000");
    }

    @Test
    void verboseAddsTheStackTrace(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("out"), "not a directory");
        Run r = ds(standalone(dir, "--verbose"));
        assertThat(r.exit()).isEqualTo(Ds.FAILED);
        assertThat(r.firstLine()).startsWith("ds standalone: ");
        assertThat(r.err()).contains("\tat io.datastream.deploy.standalone.Preflight");
    }

    @Test
    void everyComponentReportsEveryProblemOfItsConfigurationWithItsKeyAndExits2(@TempDir Path dir) throws Exception {
        Path agent = Files.writeString(dir.resolve("agent.yaml"), "files: {maxOpen: 1}\nrouterz: []\n");
        Run a = ds("agent", "--config", agent.toString());
        assertThat(a.exit()).isEqualTo(Ds.INVALID_CONFIG);
        assertThat(a.err()).contains("invalid agent configuration:", "files.maxOpen: must be in [4, 1000000], was 1",
                "routerz: unknown key, did you mean 'routers'?").doesNotContain("\tat ");
        Path router = Files.writeString(dir.resolve("router.yaml"), "listen: {prot: 1}\npool: {capacityBytes: 5}\n");
        Run r = ds("router", "--config", router.toString());
        assertThat(r.exit()).isEqualTo(Ds.INVALID_CONFIG);
        assertThat(r.err()).contains("invalid router configuration:", "listen.prot: unknown key, did you mean 'port'?",
                "pool.capacityBytes: must be in [16777216");
        Path control = Files.writeString(dir.resolve("control.yaml"), "http: {port: 70000}\nstore: {maxBytes: lots}\n");
        Run c = ds("control", "--config", control.toString());
        assertThat(c.exit()).isEqualTo(Ds.INVALID_CONFIG);
        assertThat(c.err()).contains("invalid control configuration:", "http.port: must be in [0, 65535], was 70000",
                "store.maxBytes: must be an integer, was 'lots'");
        Path sink = Files.writeString(dir.resolve("sink.yaml"), "output: {compressionLevel: 30, maxPartSize: 12 parsecs}\n");
        Run s = ds("sink", "--config", sink.toString());
        assertThat(s.exit()).isEqualTo(Ds.INVALID_CONFIG);
        assertThat(s.err()).contains("ds sink: invalid sink configuration:", "output.compressionLevel: must be in 1..19 for zstd, was 30",
                "output.maxPartSize: must be a size such as 1048576, 64KB, 128MB or 1GB, was '12 parsecs'").doesNotContain("\tat ");
    }

    @Test
    void anUnknownLogLevelIsRefused(@TempDir Path dir) {
        Run r = ds("--log-level", "loud", "ctl", "task", "list");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("--log-level: 'loud' is not one of error, warn, info, debug, trace");
    }
}
