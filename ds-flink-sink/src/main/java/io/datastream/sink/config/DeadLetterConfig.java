package io.datastream.sink.config;

import io.datastream.config.Checked;
import io.datastream.config.Doc;
import io.datastream.config.Problems;
import java.io.Serializable;

/** {@code deadLetter.*}: where records that are not valid envelopes are kept. */
public record DeadLetterConfig(
        @Doc("base directory of dead letters: records that are not valid envelopes, as JSON lines under dt=YYYY-MM-DD/ (UTC, "
                + "processing time)")
        String path) implements Serializable, Checked {
    public DeadLetterConfig {
        path = path == null ? "file:///tmp/datastream/sink/dead-letters" : path.trim();
    }

    @Override
    public void check(Problems p) {
        p.notBlank(path, "path");
    }
}
