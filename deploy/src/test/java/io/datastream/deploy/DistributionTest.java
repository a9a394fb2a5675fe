package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.control.ControlConfig;
import io.datastream.router.RouterConfig;
import io.datastream.sink.config.SinkConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The example configs shipped in conf/ are valid, the systemd units set what they mean to, and every launcher command answers --help. */
class DistributionTest {
    private static final Path CONF = Path.of("src/dist/conf");
    private static final Path SYSTEMD = Path.of("src/dist/systemd");

    @Test
    void exampleConfigsLoad() throws Exception {
        assertThat(RouterConfig.load(CONF.resolve("router.yaml")).listen().port()).isEqualTo(7100);
        assertThat(AgentConfig.load(CONF.resolve("agent.yaml")).routers()).containsExactly("localhost:7100");
        assertThat(ControlConfig.load(CONF.resolve("control.yaml")).http().port()).isEqualTo(7400);
        assertThat(SinkConfig.load(CONF.resolve("sink.yaml")).kafka().topicPattern()).isEqualTo("ds-.*");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "agent", "router", "control", "sink", "ctl", "doctor"})
    void everyCommandHasHelp(String command) {
        StringWriter out = new StringWriter();
        CommandLine cl = Ds.commandLine();
        cl.setOut(new PrintWriter(out));
        int code = cl.execute(command, "--help");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage:").contains(command);
    }

    @Test
    void topLevelHelpListsEveryCommand() {
        StringWriter out = new StringWriter();
        CommandLine cl = Ds.commandLine();
        cl.setOut(new PrintWriter(out));
        assertThat(cl.execute("--help")).isZero();
        assertThat(out.toString()).contains("standalone", "agent", "router", "control", "sink", "ctl");
    }

    /**
     * Every {@code Environment=} line of the units is a list of valid assignments as systemd splits
     * it (an unquoted value with a space is cut there, and systemd ignores the rest with a warning),
     * and the JVM options the units set all reach {@code DS_JAVA_OPTS}.
     */
    @Test
    void systemdUnitsSetTheirWholeEnvironment() throws Exception {
        List<Path> units;
        try (Stream<Path> s = Files.list(SYSTEMD)) {
            units = s.filter(p -> p.toString().endsWith(".service")).sorted().toList();
        }
        assertThat(units).hasSize(3);
        for (Path unit : units) {
            Map<String, String> env = new HashMap<>();
            for (String line : Files.readAllLines(unit)) {
                if (!line.startsWith("Environment=")) {
                    continue;
                }
                for (String word : systemdWords(line.substring("Environment=".length()))) {
                    assertThat(word).as(unit + ": an assignment systemd accepts").matches("[A-Za-z_][A-Za-z0-9_]*=.*");
                    env.put(word.substring(0, word.indexOf('=')), word.substring(word.indexOf('=') + 1));
                }
            }
            if (env.containsKey("DS_JAVA_OPTS")) {
                assertThat(env.get("DS_JAVA_OPTS")).as(unit.toString()).contains("-Xmx", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError");
            }
        }
    }

    /** Splits a value the way systemd splits {@code Environment=}: at whitespace, except inside double or single quotes. */
    static List<String> systemdWords(String value) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (char ch : value.toCharArray()) {
            if (quote != 0) {
                if (ch == quote) {
                    quote = 0;
                } else {
                    word.append(ch);
                }
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
                word = word == null ? new StringBuilder() : word;
            } else if (Character.isWhitespace(ch)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(ch);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }
}
