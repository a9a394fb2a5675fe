package io.datastream.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The description of a configuration key, on the record component that holds it: the one place
 * the text of the generated reference comes from. The default shown beside it is read from the
 * record built with every key absent, unless {@link #defaultText()} says it in words (a default
 * computed from the host name, say).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Doc {
    /** What the key does, its unit and its allowed values, in one or two sentences. */
    String value();

    /** The default in words, when the value computed on this machine would mislead; empty = read it. */
    String defaultText() default "";
}
