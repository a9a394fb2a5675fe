/** Integration tests: the agent against a real router and a real Kafka broker (and ZooKeeper). */
package io.datastream.agent.it;
