/**
 * The tail-file agent: {@link io.datastream.agent.Agent} runs it, {@link
 * io.datastream.agent.AgentConfig} configures it (docs/agent.md). The packages below hold one
 * role each: discovery, tail, batch, ship, checkpoint, task, status, fingerprint, config, cli.
 */
package io.datastream.agent;
