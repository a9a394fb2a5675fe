/**
 * Dead letters: Kafka records that are not valid envelopes (or whose payload does not decode)
 * leave the main flow through a side output and are written, raw bytes in base64 with the
 * error and the topic/partition/offset, to their own file sink. The job never fails on them.
 */
package io.datastream.sink.deadletter;
