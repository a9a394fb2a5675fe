package io.datastream.router.route;

import io.datastream.protocol.batch.Batch;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A topic name with placeholders, compiled once: {@code {task}}, {@code {agent}}, {@code {host}}
 * and {@code {header.NAME}} (empty when the batch has no such header). Example: "ds-{task}".
 */
public final class TopicTemplate {
    private final String source;
    private final List<Function<Batch, String>> parts;
    private final String constant;

    private TopicTemplate(String source, List<Function<Batch, String>> parts, String constant) {
        this.source = source;
        this.parts = parts;
        this.constant = constant;
    }

    public static TopicTemplate compile(String template) throws ExpressionException {
        List<Function<Batch, String>> parts = new ArrayList<>();
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
            parts.add(placeholder(template.substring(i + 1, close), i + 1));
            dynamic = true;
            i = close + 1;
        }
        if (!dynamic) {
            if (!Topics.isValid(template)) {
                throw new ExpressionException(1, "'" + template + "' is not a valid Kafka topic name (" + Topics.RULE + ")");
            }
            return new TopicTemplate(template, List.of(), template);
        }
        if (literal.length() > 0) {
            String text = literal.toString();
            parts.add(b -> text);
        }
        return new TopicTemplate(template, List.copyOf(parts), null);
    }

    private static Function<Batch, String> placeholder(String name, int pos) throws ExpressionException {
        switch (name) {
            case "task":
                return Batch::taskId;
            case "agent":
                return Batch::agentId;
            case "host":
                return Batch::host;
            default:
                if (name.startsWith("header.") && name.length() > "header.".length()) {
                    String key = name.substring("header.".length());
                    return b -> b.headers().getOrDefault(key, "");
                }
                throw new ExpressionException(pos, "unknown placeholder {" + name + "} (expected {task}, {agent}, {host} or {header.NAME})");
        }
    }

    /** The topic for {@code batch}; not necessarily a valid topic name (see {@link Topics#isValid}). */
    public String expand(Batch batch) {
        if (constant != null) {
            return constant;
        }
        StringBuilder b = new StringBuilder(32);
        for (Function<Batch, String> p : parts) {
            b.append(p.apply(batch));
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return source;
    }
}
