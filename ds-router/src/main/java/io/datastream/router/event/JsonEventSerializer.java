package io.datastream.router.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code {"headers":{"k":"v"},"body":"text"}} on one line (JSON escapes every control character,
 * so there is never a raw newline). A body that is not valid UTF-8 is written as
 * {@code "bodyBase64"} instead of {@code "body"}. This is also the record content the Kafka sink
 * writes into DSB1 batches.
 */
public final class JsonEventSerializer implements EventSerializer {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    @Override
    public EventFormat format() {
        return EventFormat.JSON;
    }

    @Override
    public byte[] serialize(Event event) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(64 + event.body().length + 32 * event.headers().size());
             JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("headers");
            for (Map.Entry<String, String> h : event.headers().entrySet()) {
                g.writeStringField(h.getKey(), h.getValue());
            }
            g.writeEndObject();
            byte[] body = event.body();
            if (Utf8.isValid(body)) {
                g.writeFieldName("body");
                g.writeUTF8String(body, 0, body.length);
            } else {
                g.writeStringField("bodyBase64", Base64.getEncoder().encodeToString(body));
            }
            g.writeEndObject();
            g.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
    }

    @Override
    public Event deserialize(byte[] bytes) throws MalformedEventException {
        try (JsonParser p = JSON.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedEventException("not a JSON object");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            byte[] body = new byte[0];
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken t = p.nextToken();
                switch (name) {
                    case "headers" -> {
                        if (t != JsonToken.START_OBJECT) {
                            throw new MalformedEventException("headers is not an object");
                        }
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            if (p.nextToken() != JsonToken.VALUE_STRING) {
                                throw new MalformedEventException("header " + k + " is not a string");
                            }
                            headers.put(k, p.getText());
                        }
                    }
                    case "body" -> body = p.getText().getBytes(StandardCharsets.UTF_8);
                    case "bodyBase64" -> body = Base64.getDecoder().decode(p.getText());
                    default -> p.skipChildren();
                }
            }
            return new Event(headers, body);
        } catch (IOException | IllegalArgumentException e) {
            throw new MalformedEventException("not a JSON event: " + e.getMessage(), e);
        }
    }
}
