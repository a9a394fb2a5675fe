package io.datastream.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Binds a YAML (or JSON) tree into a typed, immutable record, strictly: unknown keys, wrong types,
 * out-of-range numbers, unknown enum values and duplicate keys are problems, and every problem in
 * the whole document is collected, each with its dotted key path, before one
 * {@link ConfigException} reports them together.
 *
 * <p>Rules for bound records: components are boxed or reference types (absent keys arrive as
 * {@code null}, and the compact constructor puts the default in: the one place defaults are
 * defined); a constructor that throws {@link IllegalArgumentException} reports its message at the
 * record's path, one that throws a {@link ConfigException} its problems below that path; a record that implements {@link Checked} checks its values after it is built, with
 * problems scoped to its path. Supported value types: String, Integer, Long, Double, Boolean, enums
 * (case-insensitive, {@code -} and {@code _} ignored), {@link Path}, {@link ByteSize}, {@link Duration}
 * ({@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 1d} or ISO-8601), List, Set,
 * Map with String keys, nested records, {@link JsonNode} (left as is), and any type given a
 * {@link Converter}.
 *
 * <pre>
 * RouterConfig cfg = ConfigBinder.strict().fromYaml(RouterConfig.class, yaml, "router configuration");
 * </pre>
 */
public final class ConfigBinder {
    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|min|m|h|d)");
    private static final ConfigBinder STRICT = new ConfigBinder(Map.of(), false);

    /** Converts one present, non-null node to a value; reports problems to {@code at} and returns null on any. */
    @FunctionalInterface
    public interface Converter<T> {
        T convert(JsonNode node, Problems at);
    }

    private final Map<Class<?>, Converter<?>> converters;
    private final boolean textOnlyStrings;

    private ConfigBinder(Map<Class<?>, Converter<?>> converters, boolean textOnlyStrings) {
        this.converters = Map.copyOf(converters);
        this.textOnlyStrings = textOnlyStrings;
    }

    /** A binder with the built-in conversions only. */
    public static ConfigBinder strict() {
        return STRICT;
    }

    /** The same binder with {@code converter} for values of {@code type} (for types that are not records). */
    public <T> ConfigBinder with(Class<T> type, Converter<T> converter) {
        Map<Class<?>, Converter<?>> m = new HashMap<>(converters);
        m.put(type, converter);
        return new ConfigBinder(m, textOnlyStrings);
    }

    /**
     * The same binder refusing numbers and booleans where a string is expected (for JSON APIs,
     * where {@code 5} for a name is a client's mistake; YAML files keep {@code port: 7100}-style
     * scalars readable as text).
     */
    public ConfigBinder textOnlyStrings() {
        return new ConfigBinder(converters, true);
    }

    /** Parses YAML into a tree; an empty document is an empty mapping. @throws ConfigException on a syntax error or duplicate key */
    public static JsonNode parse(String yaml, String what) {
        try {
            JsonNode tree = YAML.readTree(yaml == null ? "" : yaml);
            return tree == null || tree.isMissingNode() || tree.isNull() ? YAML.createObjectNode() : tree;
        } catch (JsonProcessingException e) {
            throw new ConfigException(what, List.of(new ConfigProblem("", syntax(e))));
        }
    }

    private static String syntax(JsonProcessingException e) {
        String msg = e.getOriginalMessage();
        int cut = msg.indexOf('\n');
        if (cut > 0) {
            msg = msg.substring(0, cut);
        }
        JsonLocation loc = e.getLocation();
        return "not valid YAML: " + msg + (loc == null ? "" : " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")");
    }

    /** Parses and binds a YAML document. @throws ConfigException listing every problem */
    public <T extends Record> T fromYaml(Class<T> type, String yaml, String what) {
        return bind(type, parse(yaml, what), what);
    }

    /** Binds a tree. @throws ConfigException listing every problem */
    public <T extends Record> T bind(Class<T> type, JsonNode tree, String what) {
        Problems problems = Problems.root();
        T value = bind(type, tree, problems);
        problems.throwIfAny(what);
        return value;
    }

    /** Binds a tree, adding problems to {@code at} (and returning null, or a partial value, when there are any). */
    public <T extends Record> T bind(Class<T> type, JsonNode tree, Problems at) {
        return type.cast(record(type, tree, at));
    }

    private Object record(Class<?> type, JsonNode node, Problems at) {
        RecordComponent[] components = type.getRecordComponents();
        if (node != null && !node.isMissingNode() && !node.isNull() && !node.isObject()) {
            at.add("", "must be a mapping of keys to values, was " + describe(node));
            return null;
        }
        Set<String> known = new LinkedHashSet<>();
        for (RecordComponent c : components) {
            if (c.getType().isPrimitive()) {
                throw new IllegalStateException(type.getName() + "." + c.getName()
                        + " is primitive: bound records hold boxed types and set defaults in the compact constructor");
            }
            known.add(c.getName());
        }
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!known.contains(e.getKey())) {
                    at.add(e.getKey(), unknown(e.getKey(), known));
                }
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            JsonNode child = node == null ? null : node.get(c.getName());
            args[i] = value(c.getGenericType(), child, at.at(c.getName()));
        }
        Object value;
        try {
            Constructor<?> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            value = ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigException ce) {
                for (ConfigProblem problem : ce.problemList()) {
                    at.add(problem.path(), problem.message());
                }
                return null;
            }
            if (cause instanceof IllegalArgumentException || cause instanceof IllegalStateException) {
                at.add("", cause.getMessage());
                return null;
            }
            throw new IllegalStateException("building " + type.getName() + " failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
        if (value instanceof Checked checked) {
            checked.check(at);
        }
        return value;
    }

    private Object value(Type type, JsonNode node, Problems at) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        Class<?> raw = raw(type);
        Converter<?> converter = converters.get(raw);
        if (converter != null) {
            return converter.convert(node, at);
        }
        if (JsonNode.class.isAssignableFrom(raw)) {
            return node;
        }
        if (raw == String.class) {
            if (!node.isValueNode() || (textOnlyStrings && !node.isTextual())) {
                at.add("", "must be a string, was " + describe(node));
                return null;
            }
            return node.asText();
        }
        if (raw == Integer.class) {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                at.add("", "must be an integer" + (node.isIntegralNumber() ? " between " + Integer.MIN_VALUE + " and " + Integer.MAX_VALUE : "")
                        + ", was " + describe(node));
                return null;
            }
            return node.intValue();
        }
        if (raw == Long.class) {
            if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                at.add("", "must be an integer, was " + describe(node));
                return null;
            }
            return node.longValue();
        }
        if (raw == Double.class) {
            if (!node.isNumber()) {
                at.add("", "must be a number, was " + describe(node));
                return null;
            }
            return node.doubleValue();
        }
        if (raw == Boolean.class) {
            if (!node.isBoolean()) {
                at.add("", "must be true or false, was " + describe(node));
                return null;
            }
            return node.booleanValue();
        }
        if (raw.isEnum()) {
            return enumValue(raw, node, at);
        }
        if (raw == Path.class) {
            if (!node.isTextual()) {
                at.add("", "must be a path, was " + describe(node));
                return null;
            }
            try {
                return Path.of(node.asText());
            } catch (InvalidPathException e) {
                at.add("", "is not a valid path: " + e.getMessage());
                return null;
            }
        }
        if (raw == Duration.class) {
            return duration(node, at);
        }
        if (raw == ByteSize.class) {
            if (node.isIntegralNumber() && node.canConvertToLong() && node.longValue() >= 0) {
                return new ByteSize(node.longValue());
            }
            try {
                return ByteSize.parse(node.isTextual() ? node.asText() : node.toString());
            } catch (IllegalArgumentException e) {
                at.add("", e.getMessage());
                return null;
            }
        }
        if (raw == List.class || raw == Collection.class || raw == Set.class) {
            return collection(raw == Set.class, ((ParameterizedType) type).getActualTypeArguments()[0], node, at);
        }
        if (raw == Map.class) {
            Type[] kv = ((ParameterizedType) type).getActualTypeArguments();
            if (kv[0] != String.class) {
                throw new IllegalStateException("map keys must be strings: " + type);
            }
            if (!node.isObject()) {
                at.add("", "must be a mapping, was " + describe(node));
                return null;
            }
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Object v = value(kv[1], e.getValue(), at.at(e.getKey()));
                if (e.getValue().isNull()) {
                    at.add(e.getKey(), "must not be null");
                } else if (v != null) {
                    out.put(e.getKey(), v);
                }
            }
            return Collections.unmodifiableMap(out);
        }
        if (raw.isRecord()) {
            return record(raw, node, at);
        }
        throw new IllegalStateException("no configuration conversion for " + type);
    }

    private Object collection(boolean set, Type element, JsonNode node, Problems at) {
        if (!node.isArray()) {
            at.add("", "must be a list, was " + describe(node));
            return null;
        }
        List<Object> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            JsonNode e = node.get(i);
            if (e == null || e.isNull()) {
                at.at(i).add("", "must not be null");
                continue;
            }
            Object v = value(element, e, at.at(i));
            if (v != null) {
                out.add(v);
            }
        }
        return set ? Collections.unmodifiableSet(new LinkedHashSet<>(out)) : Collections.unmodifiableList(out);
    }

    private static Object enumValue(Class<?> type, JsonNode node, Problems at) {
        Object[] constants = type.getEnumConstants();
        if (node.isTextual()) {
            String wanted = normalize(node.asText());
            for (Object c : constants) {
                if (normalize(((Enum<?>) c).name()).equals(wanted) || normalize(enumName((Enum<?>) c)).equals(wanted)) {
                    return c;
                }
            }
        }
        at.add("", "must be one of " + Arrays.stream(constants).map(c -> enumName((Enum<?>) c)).collect(Collectors.joining(", "))
                + ", was " + describe(node));
        return null;
    }

    /** How an enum constant is written in configuration files: its {@code @JsonProperty} name, else lower case with {@code _} as {@code -}. */
    public static String enumName(Enum<?> e) {
        try {
            JsonProperty named = e.getDeclaringClass().getField(e.name()).getAnnotation(JsonProperty.class);
            if (named != null && !named.value().isEmpty()) {
                return named.value();
            }
        } catch (NoSuchFieldException ex) {
            // every constant is a field
        }
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String normalize(String s) {
        return s.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    private static Duration duration(JsonNode node, Problems at) {
        String hint = "must be a duration with a unit (500ms, 5s, 2m, 1h, 1d) or ISO-8601 (PT5S), was " + describe(node);
        if (!node.isTextual()) {
            at.add("", hint);
            return null;
        }
        String text = node.asText().trim();
        Matcher m = DURATION.matcher(text);
        if (m.matches()) {
            try {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m", "min" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            } catch (NumberFormatException | ArithmeticException e) {
                at.add("", "duration '" + text + "' is too large");
                return null;
            }
        }
        try {
            return Duration.parse(text);
        } catch (DateTimeParseException e) {
            at.add("", hint);
            return null;
        }
    }

    private static String unknown(String key, Set<String> known) {
        String near = null;
        int best = 3;
        for (String k : known) {
            int d = distance(key.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < best) {
                best = d;
                near = k;
            }
        }
        return "unknown key" + (near == null ? "" : ", did you mean '" + near + "'?")
                + " (known keys here: " + String.join(", ", new TreeSet<>(known)) + ")";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** A short description of a node for messages: {@code a mapping}, {@code a list}, {@code 'text'}, {@code 5}. */
    static String describe(JsonNode node) {
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            String t = node.asText();
            return "'" + (t.length() > 60 ? t.substring(0, 60) + "..." : t) + "'";
        }
        return node.toString();
    }

    static Class<?> raw(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported configuration type " + type);
    }
}
