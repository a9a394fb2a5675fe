/**
 * The agent's configuration error, the shared {@link io.datastream.config.ConfigException} named
 * for the agent; the configuration itself is {@link io.datastream.agent.AgentConfig}, bound by
 * the shared configuration system ({@code io.datastream.config}).
 */
package io.datastream.agent.config;
