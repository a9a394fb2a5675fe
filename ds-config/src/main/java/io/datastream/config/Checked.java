package io.datastream.config;

/**
 * A configuration record that checks its own values. {@link ConfigBinder} calls
 * {@link #check(Problems)} on every record it builds, with a collector scoped to the record's own
 * key path, so keys are named relative to the record ({@code "port"}, not {@code "listen.port"}).
 * Checks that span sections belong to the record that holds both.
 */
public interface Checked {
    void check(Problems problems);
}
