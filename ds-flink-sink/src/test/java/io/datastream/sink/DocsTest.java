package io.datastream.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.config.ConfigReference;
import io.datastream.sink.config.SinkConfig;
import io.datastream.sink.metrics.SinkMetric;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/sink.md carries the tables generated from the key and metric definitions, so it cannot drift from the code. */
class DocsTest {
    private static String doc() throws IOException {
        Path doc = Path.of("..", "docs", "sink.md");
        assertThat(doc).exists();
        return Files.readString(doc, StandardCharsets.UTF_8);
    }

    @Test
    void theDocsListEveryConfigKeyAsDefined() {
        ConfigReference.verify(Path.of("..", "docs", "sink.md"), "sink", ConfigReference.markdown(SinkConfig.class));
    }

    @Test
    void theDocsListEveryMetricAsDefined() throws IOException {
        assertThat(doc()).contains(SinkMetric.referenceTable());
    }
}
