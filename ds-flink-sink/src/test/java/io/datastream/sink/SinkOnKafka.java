package io.datastream.sink;

import io.datastream.embedded.kafka.EmbeddedKafka;
import io.datastream.sink.testing.KafkaTestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * What the sink's job suites share: one real Kafka broker per suite and a producer of test
 * traffic. (Each suite keeps its own MiniCluster and in-memory metrics reporter: a reporter is
 * closed with the cluster it was configured into.)
 */
abstract class SinkOnKafka {
    static EmbeddedKafka kafka;
    static KafkaTestData data;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.builder().build().start();
        data = new KafkaTestData(kafka.bootstrapServers());
    }

    @AfterAll
    static void stopKafka() {
        if (data != null) {
            data.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }
}
