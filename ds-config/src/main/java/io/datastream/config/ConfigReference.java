package io.datastream.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The configuration reference, generated from the records themselves: one table row per key with
 * its dotted path, type, default (read from the record built with every key absent) and the
 * {@link Doc} description. A key without a {@link Doc} is a programming error, so nothing can be
 * added without being documented. Each component's reference lives between two markers in a
 * Markdown file under docs/, and a test per component checks it against the code
 * ({@link #verify(Path, String, String)}).
 */
public final class ConfigReference {
    /** Set this system property to {@code true} to rewrite the generated sections instead of checking them. */
    public static final String UPDATE_PROPERTY = "ds.reference.update";

    private ConfigReference() {
    }

    /** The Markdown table of every key of {@code type}, in declaration order. */
    public static String markdown(Class<? extends Record> type) {
        StringBuilder sb = new StringBuilder("| key | type | default | description |\n|---|---|---|---|\n");
        rows(type, defaults(type), "", sb);
        return sb.toString();
    }

    private static void rows(Class<?> type, Object defaults, String prefix, StringBuilder sb) {
        for (RecordComponent c : type.getRecordComponents()) {
            Doc doc = c.getAnnotation(Doc.class);
            if (doc == null) {
                throw new IllegalStateException(type.getName() + "." + c.getName() + " has no @Doc: every configuration key is documented");
            }
            String key = prefix + c.getName();
            Object value = defaults == null ? null : get(c, defaults);
            Class<?> raw = ConfigBinder.raw(c.getGenericType());
            String def = doc.defaultText().isEmpty() ? format(value) : doc.defaultText();
            if (raw.isRecord() && raw != ByteSize.class) {
                sb.append(row(key, "section", "", doc.value()));
                rows(raw, value != null ? value : defaults(raw), key + ".", sb);
                continue;
            }
            Type element = element(c.getGenericType());
            if (element != null && ConfigBinder.raw(element).isRecord() && ConfigBinder.raw(element) != ByteSize.class) {
                String kind = raw == Map.class ? "mapping of names to sections" : "list of sections";
                sb.append(row(key, kind, def, doc.value()));
                rows(ConfigBinder.raw(element), defaults(ConfigBinder.raw(element)), key + (raw == Map.class ? ".<name>." : "[]."), sb);
                continue;
            }
            sb.append(row(key, typeName(c.getGenericType()), def, doc.value()));
        }
    }

    private static String row(String key, String type, String def, String description) {
        return "| `" + key + "` | " + type + " | " + def + " | " + description.replace("|", "\\|").replace("\n", " ") + " |\n";
    }

    private static Object get(RecordComponent c, Object instance) {
        try {
            var accessor = c.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(instance);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c, e);
        }
    }

    /** The record built with every component absent, or null when that is not a valid record (required keys). */
    static Object defaults(Class<?> type) {
        RecordComponent[] cs = type.getRecordComponents();
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            return ctor.newInstance(new Object[cs.length]);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    private static Type element(Type type) {
        Class<?> raw = ConfigBinder.raw(type);
        if (type instanceof ParameterizedType p) {
            if (Collection.class.isAssignableFrom(raw)) {
                return p.getActualTypeArguments()[0];
            }
            if (raw == Map.class) {
                return p.getActualTypeArguments()[1];
            }
        }
        return null;
    }

    private static String typeName(Type type) {
        Class<?> raw = ConfigBinder.raw(type);
        if (raw == String.class) {
            return "string";
        }
        if (raw == Integer.class || raw == Long.class) {
            return "integer";
        }
        if (raw == Double.class) {
            return "number";
        }
        if (raw == Boolean.class) {
            return "boolean";
        }
        if (raw == Path.class) {
            return "path";
        }
        if (raw == Duration.class) {
            return "duration";
        }
        if (raw == ByteSize.class) {
            return "size";
        }
        if (raw == java.time.ZoneId.class) {
            return "time zone";
        }
        if (raw.isEnum()) {
            return Arrays.stream(raw.getEnumConstants()).map(e -> "`" + ConfigBinder.enumName((Enum<?>) e) + "`")
                    .collect(Collectors.joining(" \\| "));
        }
        Type element = element(type);
        if (element != null && Collection.class.isAssignableFrom(raw)) {
            return "list of " + typeName(element) + (typeName(element).endsWith("s") ? "" : "s");
        }
        if (element != null) {
            return "mapping of names to " + typeName(element) + (typeName(element).endsWith("s") ? "" : "s");
        }
        return raw.getSimpleName();
    }

    private static String format(Object value) {
        if (value == null) {
            return "none";
        }
        if (value instanceof String s) {
            return s.isEmpty() ? "empty" : "`" + s + "`";
        }
        if (value instanceof Enum<?> e) {
            return "`" + ConfigBinder.enumName(e) + "`";
        }
        if (value instanceof Duration d) {
            return "`" + durationText(d) + "`";
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? "`[]`" : "`[" + c.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "]`";
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty() ? "`{}`" : "`" + m + "`";
        }
        return "`" + value + "`";
    }

    private static String durationText(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /**
     * Checks that {@code file} holds {@code generated} between {@code <!-- generated:NAME -->} and
     * {@code <!-- end generated:NAME -->}; with {@code -Dds.reference.update=true} it rewrites the
     * section instead. @throws IllegalStateException naming the command that fixes a stale file
     */
    public static void verify(Path file, String name, String generated) {
        String begin = "<!-- generated:" + name + " -->\n";
        String end = "<!-- end generated:" + name + " -->";
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int b = text.indexOf(begin);
        int e = text.indexOf(end);
        if (b < 0 || e < b) {
            throw new IllegalStateException(file + " has no section between '" + begin.strip() + "' and '" + end + "'");
        }
        String current = text.substring(b + begin.length(), e);
        if (current.equals(generated)) {
            return;
        }
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            try {
                Files.writeString(file, text.substring(0, b + begin.length()) + generated + text.substring(e), StandardCharsets.UTF_8);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return;
        }
        String test = StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
                .filter(c -> c.endsWith("Test")).findFirst().map(c -> c.substring(c.lastIndexOf('.') + 1)).orElse("<the test>"));
        throw new IllegalStateException(file + " section '" + name + "' is not what the code defines; regenerate it by running "
                + test + " with -D" + UPDATE_PROPERTY + "=true (mvn -q test -pl <its module> -am -Dtest=" + test + " -D" + UPDATE_PROPERTY
                + "=true -Dsurefire.failIfNoSpecifiedTests=false), then review the diff. Differences start at: '"
                + firstDifference(current, generated) + "'");
    }

    private static String firstDifference(String a, String b) {
        List<String> la = a.lines().toList();
        List<String> lb = b.lines().toList();
        for (int i = 0; i < Math.max(la.size(), lb.size()); i++) {
            String x = i < la.size() ? la.get(i) : "";
            String y = i < lb.size() ? lb.get(i) : "";
            if (!x.equals(y)) {
                return y.isEmpty() ? "(removed) " + x : y;
            }
        }
        return "";
    }

    /** For tests: the set of every dotted key {@code type} defines (list elements as {@code []}). */
    public static Set<String> keys(Class<? extends Record> type) {
        return markdown(type).lines().skip(2).map(l -> l.substring(3, l.indexOf('`', 3))).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    }
}
