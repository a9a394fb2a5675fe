package io.datastream.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AgentCommand turns Netty's JFR events off unless the operator asked for them. */
class AgentCommandTest {
    private static final String KEY = "io.netty.jfr.enabled";
    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(KEY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(KEY);
        } else {
            System.setProperty(KEY, saved);
        }
    }

    @Test
    void nettyJfrIsOffWhenNotAskedFor() {
        System.clearProperty(KEY);
        AgentCommand.nettyJfrOffUnlessAsked();
        assertThat(System.getProperty(KEY)).isEqualTo("false");
    }

    @Test
    void anOperatorsChoiceIsKept() {
        System.setProperty(KEY, "true");
        AgentCommand.nettyJfrOffUnlessAsked();
        assertThat(System.getProperty(KEY)).isEqualTo("true");
    }
}
