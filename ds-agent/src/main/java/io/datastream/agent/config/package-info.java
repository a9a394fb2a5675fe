/**
 * Strict configuration reading: typed values by dotted key path with defaults and ranges,
 * unknown keys rejected, every error reported with its full key path.
 */
package io.datastream.agent.config;
