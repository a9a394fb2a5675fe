package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datastream.sink.config.ConfigException;
import io.datastream.sink.config.SinkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's program arguments: {@code --config FILE} (flink run) or {@code --config-yaml TEXT} (REST submission). */
class SinkJobArgsTest {

    private static final String YAML = "kafka:\n  bootstrapServers: \"k1:9092\"\njob:\n  checkpointInterval: 2s\n";

    @Test
    void configFileAndInlineYamlGiveTheSameConfig(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sink.yaml"), YAML);
        SinkConfig fromFile = SinkJob.loadConfig(new String[] {"--config", file.toString()});
        SinkConfig inline = SinkJob.loadConfig(new String[] {"--config-yaml", YAML});
        assertThat(inline).isEqualTo(fromFile);
        assertThat(inline.kafka().bootstrapServers()).isEqualTo("k1:9092");
        assertThat(SinkJob.loadConfig(new String[0])).isEqualTo(SinkConfig.defaults());
    }

    @Test
    void badArgumentsAreOneLineErrors(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("sink.yaml"), YAML);
        assertThatThrownBy(() -> SinkJob.loadConfig(new String[] {"--config-yaml"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--config-yaml needs the YAML text");
        assertThatThrownBy(() -> SinkJob.loadConfig(new String[] {"--config", file.toString(), "--config-yaml", YAML}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--config and --config-yaml: give one of them");
        assertThatThrownBy(() -> SinkJob.loadConfig(new String[] {"--config-yaml", "job:\n  nope: 1\n"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("job.nope");
        assertThatThrownBy(() -> SinkJob.loadConfig(new String[] {"--verbose"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("unknown argument '--verbose'");
    }
}
