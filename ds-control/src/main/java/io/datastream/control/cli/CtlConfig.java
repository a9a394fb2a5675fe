package io.datastream.control.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The optional {@code ds ctl --config FILE}: YAML with {@code url} and {@code token}, so scripts
 * need not repeat them. Command-line options and the environment variable {@code DS_TOKEN} win
 * over the file.
 *
 * @param url   control server URL, or null
 * @param token API token, or null
 */
record CtlConfig(String url, String token) {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    static final CtlConfig NONE = new CtlConfig(null, null);

    /** Reads the file; any problem is an {@link IllegalArgumentException} with a message for the user. */
    static CtlConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            return NONE;
        }
        try {
            CtlConfig c = YAML.readValue(text, CtlConfig.class);
            return c == null ? NONE : c;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": " + e.getOriginalMessage() + " (known keys: url, token)");
        }
    }
}
