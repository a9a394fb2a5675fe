package io.datastream.sink.config;

import java.util.Locale;

/** What one output line holds. The original line's bytes are always kept byte for byte. */
public enum LineFormat {
    /** The original line, then {@code \n}. */
    RAW,
    /** {@code host \t path \t offset \t line \n}; tabs, newlines and backslashes in host and path are escaped. */
    TSV,
    /** {@code {"task":..,"agent":..,"host":..,"path":..,"offset":..} \t line \n}: a JSON prefix, a tab, the line. */
    JSON;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
