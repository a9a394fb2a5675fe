/** A real Kafka broker in KRaft mode (combined broker and controller) in the JVM. */
package io.datastream.embedded.kafka;
