/**
 * The command line entry point used by the {@code ds} launcher: {@code ds router --config FILE}.
 */
package io.datastream.router.cli;
