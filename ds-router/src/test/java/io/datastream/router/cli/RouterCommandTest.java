package io.datastream.router.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RouterCommandTest {
    @Test
    void checksAValidConfiguration(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("router.yaml");
        Files.writeString(cfg, "listen: {port: 0}\nroutes: [{when: 'header.logType == \"jvm\"', topic: logs-jvm}]\n");
        assertThat(new CommandLine(new RouterCommand()).execute("--config", cfg.toString(), "--check")).isZero();
    }

    @Test
    void reportsEveryProblemOfABadConfiguration(@TempDir Path dir) throws Exception {
        Path cfg = dir.resolve("router.yaml");
        Files.writeString(cfg, "pool: {capacityBytes: 5}\nroutes: [{when: 'task = \"a\"', topic: a}]\n");
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertThat(new CommandLine(new RouterCommand()).execute("--config", cfg.toString(), "--check")).isEqualTo(2);
        } finally {
            System.setErr(err);
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("pool.capacityBytes:", "routes[0].when: at position 6");
    }

    @Test
    void defaultsAreValidWithoutAFile() {
        assertThat(new CommandLine(new RouterCommand()).execute("--check")).isZero();
    }
}
