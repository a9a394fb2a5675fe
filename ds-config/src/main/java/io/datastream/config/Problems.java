package io.datastream.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Collects configuration problems so that all of them are reported at once. A collector is scoped
 * to a key path: {@link #at(String)} and {@link #at(int)} give a view whose keys are relative to a
 * section or list element, sharing one list of problems with every other view.
 *
 * <pre>
 * Problems p = Problems.root();
 * p.at("pool").atLeast(capacity, 16 &lt;&lt; 20, "capacityBytes");   // "pool.capacityBytes: must be &gt;= ..."
 * p.throwIfAny("router configuration");
 * </pre>
 */
public final class Problems {
    private final List<ConfigProblem> problems;
    private final String prefix;

    private Problems(List<ConfigProblem> problems, String prefix) {
        this.problems = problems;
        this.prefix = prefix;
    }

    /** A new, empty collector at the document's root. */
    public static Problems root() {
        return new Problems(new ArrayList<>(), "");
    }

    /** A view scoped to the section {@code key} below this one. */
    public Problems at(String key) {
        return new Problems(problems, path(key));
    }

    /** A view scoped to the list element {@code index} of this one. */
    public Problems at(int index) {
        return new Problems(problems, prefix + "[" + index + "]");
    }

    /** The full path of {@code key} below this scope; empty {@code key} is the scope itself. */
    public String path(String key) {
        if (key.isEmpty()) {
            return prefix;
        }
        return prefix.isEmpty() ? key : prefix + "." + key;
    }

    /** Records {@code key: message}; {@code key} is relative to this scope ("" = the scope itself). */
    public void add(String key, String message) {
        problems.add(new ConfigProblem(path(key), message));
    }

    /** Records {@code key: message} unless {@code ok}. */
    public void check(boolean ok, String key, String message) {
        if (!ok) {
            add(key, message);
        }
    }

    public void atLeast(long value, long min, String key) {
        check(value >= min, key, "must be >= " + min + ", was " + value);
    }

    public void between(long value, long min, long max, String key) {
        check(value >= min && value <= max, key, "must be in [" + min + ", " + max + "], was " + value);
    }

    public void between(double value, double min, double max, String key) {
        check(value >= min && value <= max, key, "must be in [" + min + ", " + max + "], was " + value);
    }

    public void notBlank(String value, String key) {
        check(value != null && !value.isBlank(), key, "must not be empty");
    }

    public void port(int value, String key) {
        between(value, 0, 65535, key);
    }

    /** Checks that {@code value} is one of {@code allowed} (case-insensitive), naming them otherwise. */
    public void oneOf(String value, Collection<String> allowed, String key) {
        boolean ok = value != null && allowed.stream().anyMatch(a -> a.equalsIgnoreCase(value));
        check(ok, key, "must be one of " + allowed.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "))
                + ", was '" + value + "'");
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Every problem so far, across all views. */
    public List<ConfigProblem> list() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} about {@code what} listing every problem, if there is any. */
    public void throwIfAny(String what) {
        if (!problems.isEmpty()) {
            throw new ConfigException(what, problems);
        }
    }
}
