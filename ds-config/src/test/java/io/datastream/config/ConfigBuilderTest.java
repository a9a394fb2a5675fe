package io.datastream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigBuilderTest {
    record Listen(@Doc("host") String host, @Doc("port") Integer port) implements Checked {
        Listen {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 7100 : port;
        }

        @Override
        public void check(Problems p) {
            p.port(port, "port");
        }
    }

    record Node(@Doc("id") String id, @Doc("listen") Listen listen, @Doc("peers") List<Listen> peers) {
        Node {
            id = id == null ? "n" : id;
            listen = listen == null ? new Listen(null, null) : listen;
            peers = peers == null ? List.of() : peers;
        }
    }

    @Test
    void keysAreNamedByTheirAccessorsAndUnsetKeysTakeTheirDefaults() {
        Node n = ConfigBuilder.of(Node.class).set(Node::id, "a").set(Node::peers, List.of(new Listen("h", 1))).build("node configuration");
        assertThat(n).isEqualTo(new Node("a", new Listen("127.0.0.1", 7100), List.of(new Listen("h", 1))));
    }

    @Test
    void theResultIsCheckedLikeABoundDocument() {
        assertThatThrownBy(() -> ConfigBuilder.of(Node.class).set(Node::listen, new Listen(null, 70000))
                .set(Node::peers, List.of(new Listen("h", 1), new Listen("h", -2))).build("node configuration"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid node configuration:\n  listen.port: must be in [0, 65535], was 70000\n"
                        + "  peers[1].port: must be in [0, 65535], was -2");
    }

    @Test
    void onlyAccessorsNameKeys() {
        assertThatThrownBy(() -> ConfigBuilder.of(Node.class).set(n -> "x", "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a key of Node");
    }
}
