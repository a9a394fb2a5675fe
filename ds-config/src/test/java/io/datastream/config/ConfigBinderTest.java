package io.datastream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigBinderTest {
    enum Mode { AT_LEAST_ONCE, EXACTLY_ONCE }

    record Listen(@Doc("address") String host, @Doc("port") Integer port) implements Checked {
        Listen {
            host = host == null ? "127.0.0.1" : host;
            port = port == null ? 7100 : port;
        }

        @Override
        public void check(Problems p) {
            p.port(port, "port");
        }
    }

    record Route(@Doc("rule") String when, @Doc("topic") String topic) {
        Route {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("topic: must not be empty");
            }
        }
    }

    record Sample(@Doc("id") String id, @Doc("listen") Listen listen, @Doc("routes") List<Route> routes,
                  @Doc("mode") Mode mode, @Doc("linger") Duration linger, @Doc("dir") Path dir, @Doc("labels") Map<String, String> labels,
                  @Doc("ratio") Double ratio, @Doc("on") Boolean on, @Doc("big") Long big) {
        Sample {
            id = id == null ? "x" : id;
            listen = listen == null ? new Listen(null, null) : listen;
            routes = routes == null ? List.of() : routes;
            mode = mode == null ? Mode.EXACTLY_ONCE : mode;
            linger = linger == null ? Duration.ofMillis(5) : linger;
            dir = dir == null ? Path.of("data") : dir;
            labels = labels == null ? Map.of() : labels;
            ratio = ratio == null ? 0.5 : ratio;
            on = on == null ? Boolean.TRUE : on;
            big = big == null ? 1L << 40 : big;
        }
    }

    private static Sample bind(String yaml) {
        return ConfigBinder.strict().fromYaml(Sample.class, yaml, "sample configuration");
    }

    @Test
    void anEmptyDocumentIsEveryDefault() {
        Sample s = bind("");
        assertThat(s.listen()).isEqualTo(new Listen("127.0.0.1", 7100));
        assertThat(s.mode()).isEqualTo(Mode.EXACTLY_ONCE);
        assertThat(s.linger()).isEqualTo(Duration.ofMillis(5));
        assertThat(bind("# only a comment\n")).isEqualTo(s);
    }

    @Test
    void valuesOfEveryTypeBind() {
        Sample s = bind("""
                id: r1
                listen: {host: 0.0.0.0, port: 9000}
                routes: [{when: 'task == "a"', topic: t1}]
                mode: at-least-once
                linger: 2m
                dir: /var/lib/ds
                labels: {role: web}
                ratio: 1
                on: false
                big: 1099511627777
                """);
        assertThat(s.listen()).isEqualTo(new Listen("0.0.0.0", 9000));
        assertThat(s.routes()).containsExactly(new Route("task == \"a\"", "t1"));
        assertThat(s.mode()).isEqualTo(Mode.AT_LEAST_ONCE);
        assertThat(s.linger()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.dir()).isEqualTo(Path.of("/var/lib/ds"));
        assertThat(s.labels()).containsEntry("role", "web");
        assertThat(s.ratio()).isEqualTo(1.0);
        assertThat(s.on()).isFalse();
        assertThat(s.big()).isEqualTo(1099511627777L);
        assertThat(bind("linger: PT3S").linger()).isEqualTo(Duration.ofSeconds(3));
        assertThat(bind("mode: EXACTLY_ONCE").mode()).isEqualTo(Mode.EXACTLY_ONCE);
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPath() {
        assertThatThrownBy(() -> bind("""
                id: [a]
                listen: {host: h, prot: 1, port: 70000}
                routes:
                  - {when: x}
                  - null
                  - {when: y, topic: t, extra: 1}
                mode: sometimes
                linger: 5
                labels: {a: {b: c}}
                ratio: "half"
                on: "yes"
                big: 1.5
                colour: red
                """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "colour: unknown key (known keys here: big, dir, id, labels, linger, listen, mode, on, ratio, routes)",
                        "id: must be a string, was a list",
                        "listen.prot: unknown key, did you mean 'port'? (known keys here: host, port)",
                        "listen.port: must be in [0, 65535], was 70000",
                        "routes[0]: topic: must not be empty",
                        "routes[1]: must not be null",
                        "routes[2].extra: unknown key (known keys here: topic, when)",
                        "mode: must be one of at-least-once, exactly-once, was 'sometimes'",
                        "linger: must be a duration with a unit (500ms, 5s, 2m, 1h, 1d) or ISO-8601 (PT5S), was 5",
                        "labels.a: must be a string, was a mapping",
                        "ratio: must be a number, was 'half'",
                        "on: must be true or false, was 'yes'",
                        "big: must be an integer, was 1.5"))
                .hasMessageStartingWith("invalid sample configuration:\n  ");
    }

    @Test
    void syntaxErrorsDuplicateKeysAndANonMappingRootAreProblemsToo() {
        assertThatThrownBy(() -> bind("listen: {port: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("(document): not valid YAML").hasMessageContaining("line ");
        assertThatThrownBy(() -> bind("id: a\nid: b\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("Duplicate field 'id'");
        assertThatThrownBy(() -> bind("- a\n- b\n")).isInstanceOf(ConfigException.class)
                .hasMessage("invalid sample configuration:\n  (document): must be a mapping of keys to values, was a list");
        assertThatThrownBy(() -> bind("listen: 7100")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("listen: must be a mapping of keys to values, was 7100");
    }

    @Test
    void aDurationTooLargeForItsTypeIsAProblemNotACrash() {
        assertThatThrownBy(() -> bind("linger: 99999999999999999999s")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("linger: duration '99999999999999999999s' is too large");
        assertThatThrownBy(() -> bind("linger: 9223372036854775807d")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("linger: duration '9223372036854775807d' is too large");
    }

    @Test
    void anIntegerOutsideItsTypeIsNotWrappedAround() {
        record Small(@Doc("n") Integer n) {
        }
        assertThatThrownBy(() -> ConfigBinder.strict().fromYaml(Small.class, "n: 4294967297", "x"))
                .hasMessageContaining("n: must be an integer between -2147483648 and 2147483647, was 4294967297");
    }

    @Test
    void aConverterBindsTypesThatAreNotRecords() {
        record Size(long bytes) {
        }
        record WithSize(@Doc("s") Size size) {
        }
        ConfigBinder b = ConfigBinder.strict().with(Size.class, (node, at) -> {
            if (node.isTextual() && node.asText().endsWith("MiB")) {
                return new Size(Long.parseLong(node.asText().replace("MiB", "")) << 20);
            }
            at.add("", "must be a size like 64MiB");
            return null;
        });
        assertThat(b.fromYaml(WithSize.class, "size: 2MiB", "x").size()).isEqualTo(new Size(2L << 20));
        assertThatThrownBy(() -> b.fromYaml(WithSize.class, "size: 2", "x")).hasMessageContaining("size: must be a size like 64MiB");
    }

    @Test
    void primitiveComponentsAreAProgrammingError() {
        record Bad(@Doc("n") int n) {
        }
        assertThatThrownBy(() -> ConfigBinder.strict().fromYaml(Bad.class, "", "x")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is primitive");
    }
}
