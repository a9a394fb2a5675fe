package io.datastream.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads typed values from a YAML/JSON tree by dotted key path, with a default and a range per
 * key. Every call both defines a key (it is remembered in {@link #keys()}, which the reference
 * docs are checked against) and reads it; errors are collected with the key's full path, and
 * {@link #finish()} adds one for every key in the tree that nobody asked for.
 */
public final class ConfigReader {
    private final JsonNode root;
    private final Set<String> keys = new LinkedHashSet<>();
    private final List<String> errors = new ArrayList<>();

    public ConfigReader(JsonNode root) {
        this.root = root == null || root.isNull() ? MissingNode.getInstance() : root;
        if (!this.root.isMissingNode() && !this.root.isObject()) {
            errors.add("(root): must be a mapping of keys to values, was " + this.root.getNodeType().name().toLowerCase());
        }
    }

    /** The node at a dotted path, or a missing node; marks the key as known. */
    public JsonNode node(String path) {
        keys.add(path);
        JsonNode n = root;
        for (String part : path.split("\\.")) {
            n = n.path(part);
        }
        return n;
    }

    private static boolean absent(JsonNode n) {
        return n.isMissingNode() || n.isNull();
    }

    public void error(String path, String message) {
        errors.add(path + ": " + message);
    }

    public String string(String path, String def) {
        JsonNode n = node(path);
        if (absent(n)) {
            return def;
        }
        if (!n.isValueNode() || n.isContainerNode()) {
            error(path, "must be a string");
            return def;
        }
        return n.asText();
    }

    public boolean bool(String path, boolean def) {
        JsonNode n = node(path);
        if (absent(n)) {
            return def;
        }
        if (!n.isBoolean()) {
            error(path, "must be true or false, was " + n);
            return def;
        }
        return n.booleanValue();
    }

    public long longValue(String path, long def, long min, long max) {
        JsonNode n = node(path);
        if (absent(n)) {
            return def;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            error(path, "must be an integer, was " + n);
            return def;
        }
        long v = n.longValue();
        if (v < min || v > max) {
            error(path, "must be in [" + min + ", " + max + "], was " + v);
            return def;
        }
        return v;
    }

    public int intValue(String path, int def, int min, int max) {
        return (int) longValue(path, def, min, max);
    }

    public List<String> strings(String path, List<String> def) {
        JsonNode n = node(path);
        if (absent(n)) {
            return def;
        }
        if (!n.isArray()) {
            error(path, "must be a list of strings");
            return def;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (e == null || !e.isValueNode() || e.isNull()) {
                error(path + "[" + i + "]", "must be a string");
            } else {
                out.add(e.asText());
            }
        }
        return Collections.unmodifiableList(out);
    }

    public Map<String, String> stringMap(String path) {
        JsonNode n = node(path);
        if (absent(n)) {
            return Map.of();
        }
        if (!n.isObject()) {
            error(path, "must be a mapping of strings to strings");
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : n.properties()) {
            if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                error(path + "." + e.getKey(), "must be a string");
            } else {
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** Every key path defined so far, in definition order. */
    public List<String> keys() {
        return List.copyOf(keys);
    }

    /** Adds errors for unknown keys and throws if there is any error. */
    public void finish() {
        if (root.isObject()) {
            unknown(root, "");
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
    }

    private void unknown(JsonNode node, String prefix) {
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (keys.contains(path)) {
                continue;
            }
            boolean parent = false;
            for (String k : keys) {
                if (k.startsWith(path + ".")) {
                    parent = true;
                    break;
                }
            }
            if (parent && e.getValue().isObject()) {
                unknown(e.getValue(), path);
            } else if (parent && !e.getValue().isNull()) {
                error(path, "must be a mapping");
            } else if (!parent) {
                error(path, "unknown key");
            }
        }
    }
}
