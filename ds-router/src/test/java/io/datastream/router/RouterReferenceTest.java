package io.datastream.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.datastream.config.ConfigReference;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/router.md's configuration reference is generated from {@link RouterConfig}: this fails when they differ. */
class RouterReferenceTest {
    @Test
    void theReferenceInTheDocsIsWhatTheCodeDefines() {
        String generated = ConfigReference.markdown(RouterConfig.class);
        assertThat(ConfigReference.keys(RouterConfig.class)).contains("listen.port", "httpSource.sinks[].topic", "auth.agents[].certificateCn");
        ConfigReference.verify(Path.of("..", "docs", "router.md"), "router", generated);
    }
}
