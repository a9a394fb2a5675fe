/**
 * The router's configuration sections: typed, immutable records read from YAML by
 * {@link io.datastream.router.RouterConfig}. Every key has its default in the record's compact
 * constructor (a missing key arrives as null and is replaced there), and is checked by
 * {@code validate(ConfigErrors)} with its full key path in the message. docs/router.md has the
 * reference of every key.
 */
package io.datastream.router.config;
