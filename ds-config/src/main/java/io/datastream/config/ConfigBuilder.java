package io.datastream.config;

import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A typed builder for any configuration record: each key is named by the record's accessor, so a
 * renamed or retyped key fails to compile instead of failing at run time as YAML text would. Keys
 * not set take their defaults (the compact constructor sees null), and {@link #build(String)}
 * checks the result like a bound document ({@link ConfigChecks}).
 *
 * <pre>
 * AgentConfig cfg = ConfigBuilder.of(AgentConfig.class)
 *         .set(AgentConfig::id, "standalone-agent")
 *         .set(AgentConfig::routers, List.of("127.0.0.1:7100"))
 *         .build("agent configuration");
 * </pre>
 */
public final class ConfigBuilder<T extends Record> {
    /** A record's accessor, as a method reference ({@code AgentConfig::id}). */
    @FunctionalInterface
    public interface Key<T, V> extends Function<T, V>, Serializable {
    }

    private final Class<T> type;
    private final Map<String, Object> values = new HashMap<>();

    private ConfigBuilder(Class<T> type) {
        this.type = type;
    }

    public static <T extends Record> ConfigBuilder<T> of(Class<T> type) {
        return new ConfigBuilder<>(type);
    }

    /** Sets the key {@code key} names; null leaves it at its default. */
    public <V> ConfigBuilder<T> set(Key<T, V> key, V value) {
        values.put(name(key), value);
        return this;
    }

    /** The record, checked. @throws ConfigException about {@code what} listing every problem */
    public T build(String what) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            args[i] = values.get(components[i].getName());
        }
        T value;
        try {
            Constructor<T> ctor = type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
            ctor.setAccessible(true);
            value = ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof ConfigException ce) {
                throw ce;
            }
            if (e.getCause() instanceof IllegalArgumentException iae) {
                throw new ConfigException(what, List.of(new ConfigProblem("", iae.getMessage())));
            }
            throw new IllegalStateException("building " + type.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName(), e);
        }
        ConfigChecks.check(value, what);
        return value;
    }

    private String name(Key<T, ?> key) {
        try {
            Method writeReplace = key.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            SerializedLambda lambda = (SerializedLambda) writeReplace.invoke(key);
            String name = lambda.getImplMethodName();
            for (RecordComponent c : type.getRecordComponents()) {
                if (c.getName().equals(name)) {
                    return name;
                }
            }
            throw new IllegalArgumentException(name + " is not a key of " + type.getSimpleName() + ": pass its accessor, e.g. "
                    + type.getSimpleName() + "::" + type.getRecordComponents()[0].getName());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("pass a record accessor as a method reference (" + type.getSimpleName() + "::key)", e);
        }
    }
}
