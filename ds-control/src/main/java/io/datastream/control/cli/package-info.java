/**
 * The command line: {@link io.datastream.control.cli.ControlCommand} ({@code ds control}) runs the
 * server until SIGTERM; {@link io.datastream.control.cli.CtlCommand} ({@code ds ctl}) is a client
 * of the REST API (Java's HttpClient) with the subcommands {@code task create|list|get|update|delete},
 * {@code agents} and {@code routers}, printing aligned tables or, with {@code --json}, the API's JSON.
 * Exit codes: 0 ok, 1 API or connection error (message printed), 2 usage error.
 */
package io.datastream.control.cli;
