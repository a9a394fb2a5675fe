package io.datastream.router.route;

import io.datastream.protocol.batch.Batch;
import io.datastream.router.event.Event;
import java.util.Map;
import java.util.function.Function;

/**
 * The fields an expression or a topic template may read from a value of type {@code T}: for
 * agent batches task, host, agent, path and header.NAME; for HTTP events header.NAME only.
 */
public interface Fields<T> {
    /** A batch's header fields. */
    Fields<Batch> BATCH = new Fields<>() {
        @Override
        public Function<Batch, String> field(String name) {
            return switch (name) {
                case "task" -> Batch::taskId;
                case "host" -> Batch::host;
                case "agent" -> Batch::agentId;
                case "path" -> Batch::path;
                default -> header(name, Batch::headers);
            };
        }

        @Override
        public Function<Batch, String> placeholder(String name) {
            return name.equals("path") ? null : field(name);
        }

        @Override
        public String names() {
            return "task, host, agent, path or header.NAME";
        }

        @Override
        public String placeholders() {
            return "{task}, {agent}, {host} or {header.NAME}";
        }
    };

    /** An HTTP event's fields: its headers. */
    Fields<Event> EVENT = new Fields<>() {
        @Override
        public Function<Event, String> field(String name) {
            return header(name, Event::headers);
        }

        @Override
        public String names() {
            return "header.NAME (events have only headers)";
        }

        @Override
        public String placeholders() {
            return "{header.NAME}";
        }
    };

    /** The reader of field {@code name}, or null when there is no such field. */
    Function<T, String> field(String name);

    /** The reader of placeholder {@code {name}} in a topic template, or null. */
    default Function<T, String> placeholder(String name) {
        return field(name);
    }

    /** The field names, for error messages. */
    String names();

    /** The placeholders, for error messages. */
    String placeholders();

    /** {@code header.NAME} read from {@code headers}, or null when {@code name} is not of that form. */
    static <T> Function<T, String> header(String name, Function<T, Map<String, String>> headers) {
        if (name.startsWith("header.") && name.length() > "header.".length()) {
            String key = name.substring("header.".length());
            return v -> headers.apply(v).get(key);
        }
        return null;
    }
}
