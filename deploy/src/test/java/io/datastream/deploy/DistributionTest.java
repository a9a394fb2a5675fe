package io.datastream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.agent.AgentConfig;
import io.datastream.control.ControlConfig;
import io.datastream.router.RouterConfig;
import io.datastream.sink.config.SinkConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The example configs shipped in conf/ are valid, and every launcher command answers --help. */
class DistributionTest {
    private static final Path CONF = Path.of("src/dist/conf");

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
}
