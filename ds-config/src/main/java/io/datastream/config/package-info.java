/**
 * The one configuration system of every Datastream component: YAML bound strictly into typed,
 * immutable records ({@link io.datastream.config.ConfigBinder}), every problem collected with its
 * dotted key path and reported at once ({@link io.datastream.config.Problems},
 * {@link io.datastream.config.ConfigException}), defaults defined once in each record's compact
 * constructor, descriptions once in {@link io.datastream.config.Doc}, and the configuration
 * reference generated from both ({@link io.datastream.config.ConfigReference}).
 */
package io.datastream.config;
