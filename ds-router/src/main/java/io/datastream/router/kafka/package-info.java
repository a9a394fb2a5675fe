/**
 * Writing batches to Kafka: one idempotent producer (acks=all) per route mode, each fed by one
 * {@link io.datastream.router.kafka.KafkaSender} thread through a bounded queue, so that nothing
 * the producer blocks on (metadata, a full accumulator) ever blocks an event loop. Envelope mode
 * writes the batch bytes as one record; lines mode writes one record per line with the line's
 * identity in headers. {@link io.datastream.router.kafka.PartitionStrategy} picks the partition
 * (by source, round robin, or load-aware); {@link io.datastream.router.kafka.KafkaOutcomes} turns
 * Kafka's exceptions into ACK statuses and error codes.
 */
package io.datastream.router.kafka;
