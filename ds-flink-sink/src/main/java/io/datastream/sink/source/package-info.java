/**
 * The Kafka side of the job: the source built from {@link io.datastream.sink.config.KafkaConfig}
 * and {@link io.datastream.sink.source.KafkaRecord}, the record with its coordinates that the
 * rest of the job reads. Nothing here parses the value, so no record can fail the source.
 */
package io.datastream.sink.source;
