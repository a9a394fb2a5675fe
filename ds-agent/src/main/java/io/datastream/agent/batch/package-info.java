/**
 * The hand-off between the tailer and the shipper: built batches ({@link
 * io.datastream.agent.batch.OutBatch}) and the bounded window of unacknowledged batches ({@link
 * io.datastream.agent.batch.SendWindow}) that stops reading when routers do not keep up, and the
 * agent's one buffer allocator ({@link io.datastream.agent.batch.AgentBuffers}).
 */
package io.datastream.agent.batch;
