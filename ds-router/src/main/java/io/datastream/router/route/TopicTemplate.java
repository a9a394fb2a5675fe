package io.datastream.router.route;

import io.datastream.protocol.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A topic name with placeholders, compiled once: {@code {task}}, {@code {agent}}, {@code {host}}
 * and {@code {header.NAME}} (empty when the batch has no such header). Example: "ds-{task}".
 */
public final class TopicTemplate<T> {
    private final String source;
    private final List<Function<T, String>> parts;
    private final String constant;

    private TopicTemplate(String source, List<Function<T, String>> parts, String constant) {
        this.source = source;
        this.parts = parts;
        this.constant = constant;
    }

    /** A template over a batch's header fields. */
    public static TopicTemplate<Batch> compile(String template) throws ExpressionException {
        return compile(template, Fields.BATCH);
    }

    /** A template over the fields {@code fields} names ({@code {header.NAME}} for events). */
    public static <T> TopicTemplate<T> compile(String template, Fields<T> fields) throws ExpressionException {
        List<Function<T, String>> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        boolean dynamic = false;
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '}') {
                throw new ExpressionException(i + 1, "'}' without '{'");
            }
            if (c != '{') {
                literal.append(c);
                i++;
                continue;
            }
            int close = template.indexOf('}', i);
            if (close < 0) {
                throw new ExpressionException(i + 1, "'{' is not closed");
            }
            if (literal.length() > 0) {
                String text = literal.toString();
                parts.add(b -> text);
                literal.setLength(0);
            }
            parts.add(placeholder(template.substring(i + 1, close), i + 1, fields));
            dynamic = true;
            i = close + 1;
        }
        if (!dynamic) {
            if (!Topics.isValid(template)) {
                throw new ExpressionException(1, "'" + template + "' is not a valid Kafka topic name (" + Topics.RULE + ")");
            }
            return new TopicTemplate<>(template, List.of(), template);
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            parts.add(b -> text);
        }
        return new TopicTemplate<>(template, List.copyOf(parts), null);
    }

    private static <T> Function<T, String> placeholder(String name, int pos, Fields<T> fields) throws ExpressionException {
        Function<T, String> f = fields.placeholder(name);
        if (f == null) {
            throw new ExpressionException(pos, "unknown placeholder {" + name + "} (expected " + fields.placeholders() + ")");
        }
        return v -> {
            String s = f.apply(v);
            return s == null ? "" : s;
        };
    }

    /** The topic for {@code batch}; not necessarily a valid topic name (see {@link Topics#isValid}). */
    public String expand(T batch) {
        if (constant != null) {
            return constant;
        }
        StringBuilder b = new StringBuilder(32);
        for (Function<T, String> p : parts) {
            b.append(p.apply(batch));
        }
        return b.toString();
    }

    /** Whether the template has no placeholders (then {@link #expand} ignores its argument). */
    public boolean isConstant() {
        return constant != null;
    }

    @Override
    public String toString() {
        return source;
    }
}
