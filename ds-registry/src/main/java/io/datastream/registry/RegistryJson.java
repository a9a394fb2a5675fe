package io.datastream.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * JSON of registry nodes. Reading ignores unknown fields: a newer component may add fields that
 * an older one does not know (rolling upgrades). Strict reading of user input (REST, YAML) is the
 * job of whoever takes that input.
 */
public final class RegistryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private RegistryJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
        }
    }

    /** Reads a node's data; a node that is not valid JSON of the type is an {@link IOException}. */
    public static <T> T read(byte[] data, Class<T> type) throws IOException {
        if (data == null || data.length == 0) {
            throw new IOException("empty node data, expected a " + type.getSimpleName());
        }
        return MAPPER.readValue(data, type);
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
