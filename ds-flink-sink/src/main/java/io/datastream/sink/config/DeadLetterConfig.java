package io.datastream.sink.config;

import java.io.Serializable;

/** Where records that are not valid envelopes are kept. */
public record DeadLetterConfig(String path) implements Serializable {
    public DeadLetterConfig {
        path = SinkConfigKey.DEAD_LETTER_PATH.requireText(path);
    }
}
