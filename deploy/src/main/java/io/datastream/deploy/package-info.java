/**
 * The {@code ds} launcher: one command line ({@link io.datastream.deploy.Ds}) whose subcommands
 * run each component ({@code agent}, {@code router}, {@code control}, {@code sink}), the CLI
 * ({@code ctl}) and the whole pipeline in one process ({@code standalone}).
 */
package io.datastream.deploy;
