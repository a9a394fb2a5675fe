/**
 * From Kafka records to batches keyed by source file: {@link io.datastream.sink.decode.EnvelopeParser}
 * validates each envelope and sends what is not valid to the dead letters.
 */
package io.datastream.sink.decode;
