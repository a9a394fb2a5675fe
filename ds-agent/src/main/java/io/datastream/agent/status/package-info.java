/**
 * Status and metrics: per-task status combined from the tailer's and shipper's reports, published
 * in ZooKeeper (the agent's ephemeral node) and as Prometheus metrics.
 */
package io.datastream.agent.status;
