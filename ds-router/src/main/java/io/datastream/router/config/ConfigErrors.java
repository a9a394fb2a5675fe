package io.datastream.router.config;

import java.util.ArrayList;
import java.util.List;

/** Collects validation problems so that all of them are reported at once. */
public final class ConfigErrors {
    private final List<String> problems = new ArrayList<>();

    /** Records {@code key: message} unless {@code ok}. */
    public void check(boolean ok, String key, String message) {
        if (!ok) {
            add(key, message);
        }
    }

    public void add(String key, String message) {
        problems.add(key + ": " + message);
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

    public boolean isEmpty() {
        return problems.isEmpty();
    }

    /** Throws a {@link ConfigException} listing every problem, if there is any. */
    public void throwIfAny() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
