package io.datastream.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReferenceTest {
    enum Codec { NONE, LZ4 }

    record Inner(@Doc("the port") Integer port, @Doc("a | b") Codec codec) {
        Inner {
            port = port == null ? 7 : port;
            codec = codec == null ? Codec.LZ4 : codec;
        }
    }

    record Item(@Doc("its name") String name) {
        Item {
            if (name == null) {
                throw new IllegalArgumentException("name: required");
            }
        }
    }

    record Top(@Doc(value = "the id", defaultText = "`agent-` + host name") String id, @Doc("inner section") Inner inner,
               @Doc("items") List<Item> items, @Doc("linger") Duration linger, @Doc("hosts") List<String> hosts) {
        Top {
            id = id == null ? "agent-" + System.nanoTime() : id;
            inner = inner == null ? new Inner(null, null) : inner;
            items = items == null ? List.of() : items;
            linger = linger == null ? Duration.ofSeconds(5) : linger;
            hosts = hosts == null ? List.of("localhost:7100") : hosts;
        }
    }

    @Test
    void everyKeyIsARowWithTypeDefaultAndDescription() {
        assertThat(ConfigReference.markdown(Top.class)).isEqualTo("""
                | key | type | default | description |
                |---|---|---|---|
                | `id` | string | `agent-` + host name | the id |
                | `inner` | section |  | inner section |
                | `inner.port` | integer | `7` | the port |
                | `inner.codec` | `none` \\| `lz4` | `lz4` | a \\| b |
                | `items` | list of sections | `[]` | items |
                | `items[].name` | string | none | its name |
                | `linger` | duration | `5s` | linger |
                | `hosts` | list of strings | `[localhost:7100]` | hosts |
                """);
        assertThat(ConfigReference.keys(Top.class)).containsExactly("id", "inner", "inner.port", "inner.codec", "items", "items[].name",
                "linger", "hosts");
    }

    @Test
    void anUndocumentedKeyCannotBeGenerated() {
        record Undocumented(@Doc("a") String a, String b) {
        }
        assertThatThrownBy(() -> ConfigReference.markdown(Undocumented.class)).hasMessageContaining("Undocumented.b has no @Doc");
    }

    @Test
    void aStaleSectionFailsWithTheCommandThatFixesIt(@TempDir Path dir) throws Exception {
        Path doc = dir.resolve("ref.md");
        Files.writeString(doc, "# Ref\n<!-- generated:top -->\n| old |\n<!-- end generated:top -->\ntail\n");
        String generated = ConfigReference.markdown(Top.class);
        String asGiven = System.getProperty(ConfigReference.UPDATE_PROPERTY); // set when a developer regenerates the docs
        try {
            System.clearProperty(ConfigReference.UPDATE_PROPERTY);
            assertThatThrownBy(() -> ConfigReference.verify(doc, "top", generated)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("-Dds.reference.update=true");
            System.setProperty(ConfigReference.UPDATE_PROPERTY, "true");
            ConfigReference.verify(doc, "top", generated);
            System.clearProperty(ConfigReference.UPDATE_PROPERTY);
            ConfigReference.verify(doc, "top", generated);
        } finally {
            if (asGiven == null) {
                System.clearProperty(ConfigReference.UPDATE_PROPERTY);
            } else {
                System.setProperty(ConfigReference.UPDATE_PROPERTY, asGiven);
            }
        }
        assertThat(Files.readString(doc)).startsWith("# Ref\n<!-- generated:top -->\n| key |").endsWith("<!-- end generated:top -->\ntail\n");
    }
}
