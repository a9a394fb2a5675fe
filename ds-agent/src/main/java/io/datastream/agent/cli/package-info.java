/** The {@code ds agent} command (picocli) for the launcher. */
package io.datastream.agent.cli;
