package io.datastream.it.support;

import io.datastream.embedded.kafka.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;

/**
 * The Kafka cluster an end-to-end suite runs on: one broker in the test JVM
 * ({@link #single(EmbeddedKafka)}), or three broker processes ({@link KafkaTrio}).
 */
public interface Brokers extends AutoCloseable {
    String bootstrapServers();

    /** An admin client; the caller closes it. */
    Admin admin();

    /** Creates a topic of the suite with {@code partitions} partitions, replicated as the cluster allows. */
    void createTopic(String name, int partitions);

    /** Stops every broker, keeping data and ports. */
    void stop();

    /** Starts every broker again. */
    void start();

    @Override
    void close();

    static Brokers single(EmbeddedKafka kafka) {
        return new Brokers() {
            @Override
            public String bootstrapServers() {
                return kafka.bootstrapServers();
            }

            @Override
            public Admin admin() {
                return kafka.admin();
            }

            @Override
            public void createTopic(String name, int partitions) {
                kafka.createTopic(name, partitions);
            }

            @Override
            public void stop() {
                kafka.stop();
            }

            @Override
            public void start() {
                kafka.start();
            }

            @Override
            public void close() {
                kafka.close();
            }
        };
    }
}
