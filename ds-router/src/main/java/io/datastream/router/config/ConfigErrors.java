package io.datastream.router.config;

import io.datastream.config.Problems;

/**
 * The router's checks over {@link Problems}, the configuration system every component shares:
 * keys here are full paths from the document's root ({@code "pool.capacityBytes"}).
 */
public final class ConfigErrors {
    private final Problems problems;

    public ConfigErrors() {
        this(Problems.root());
    }

    /** Checks that add to {@code problems} (for example the binder's, so that every problem is reported at once). */
    public ConfigErrors(Problems problems) {
        this.problems = problems;
    }

    /** Records {@code key: message} unless {@code ok}. */
    public void check(boolean ok, String key, String message) {
        problems.check(ok, key, message);
    }

    public void add(String key, String message) {
        problems.add(key, message);
    }

    public void atLeast(long value, long min, String key) {
        problems.atLeast(value, min, key);
    }

    public void between(long value, long min, long max, String key) {
        problems.between(value, min, max, key);
    }

    public void between(double value, double min, double max, String key) {
        problems.between(value, min, max, key);
    }

    public void notBlank(String value, String key) {
        problems.notBlank(value, key);
    }

    public void port(int value, String key) {
        problems.port(value, key);
    }

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.list());
        }
    }
}
