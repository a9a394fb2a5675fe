package io.datastream.config;

import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;

/**
 * Runs every {@link Checked} section of a configuration built in code (not bound from YAML),
 * each with problems scoped to its key path, as {@link ConfigBinder} does while binding.
 */
public final class ConfigChecks {
    private ConfigChecks() {
    }

    /** @throws ConfigException about {@code what} listing every problem */
    public static void check(Record config, String what) {
        Problems problems = Problems.root();
        check(config, problems);
        problems.throwIfAny(what);
    }

    /** Checks {@code value} and every section below it into {@code at}. */
    public static void check(Object value, Problems at) {
        if (value instanceof Checked checked) {
            checked.check(at);
        }
        if (value instanceof Record record) {
            for (RecordComponent c : record.getClass().getRecordComponents()) {
                Object child;
                try {
                    var accessor = c.getAccessor();
                    accessor.setAccessible(true);
                    child = accessor.invoke(record);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c, e);
                }
                Problems below = at.at(c.getName());
                if (child instanceof Record) {
                    check(child, below);
                } else if (child instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i) instanceof Record) {
                            check(list.get(i), below.at(i));
                        }
                    }
                } else if (child instanceof Map<?, ?> map) {
                    for (Map.Entry<?, ?> e : map.entrySet()) {
                        if (e.getValue() instanceof Record) {
                            check(e.getValue(), below.at(String.valueOf(e.getKey())));
                        }
                    }
                }
            }
        }
    }
}
