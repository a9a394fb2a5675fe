package io.datastream.router.kafka;

import io.datastream.router.config.ConfigErrors;
import io.datastream.router.config.KafkaConfig;
import io.datastream.router.config.LimitsConfig;
import io.datastream.router.config.PoolConfig;
import io.datastream.router.config.RouteMode;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The producer properties of a route mode: the router's fixed guarantees (idempotence, acks=all),
 * its defaults, then {@code kafka.properties}.
 */
public final class ProducerSettings {
    private ProducerSettings() {
    }

    public static Map<String, Object> forMode(String routerId, KafkaConfig kafka, PoolConfig pool, LimitsConfig limits, RouteMode mode) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "ds-router-" + routerId + "-" + mode.configName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, mode == RouteMode.ENVELOPE ? "1048576" : "131072");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(Math.max(1 << 20, limits.maxBatchBytes() + (64 << 10))));
        // the pool bounds what is handed to the producer, so the accumulator never blocks
        p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(pool.capacityBytes() + (32L << 20)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        // the OS default with the kernel's autotuning instead of Kafka's fixed 128 KiB: the JDK copies
        // a heap buffer's whole remainder into a direct buffer on every socket write, so a
        // multi-MiB produce request written 256 KiB at a time is copied many times over
        p.put(ProducerConfig.SEND_BUFFER_CONFIG, "-1");
        p.putAll(kafka.properties());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, mode == RouteMode.ENVELOPE ? "none" : kafka.linesCompression());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Checks kafka.properties the way the producer will, without connecting. */
    public static void check(String routerId, KafkaConfig kafka, PoolConfig pool, LimitsConfig limits, ConfigErrors e) {
        for (String key : kafka.properties().keySet()) {
            e.check(ProducerConfig.configNames().contains(key), "kafka.properties." + key, "is not a Kafka producer property");
        }
        Map<String, Object> props = forMode(routerId, kafka, pool, limits, RouteMode.ENVELOPE);
        try {
            Map<String, Object> pc = ProducerConfig.configDef().parse(props);
            long delivery = ((Number) pc.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)).longValue();
            long needed = ((Number) pc.get(ProducerConfig.LINGER_MS_CONFIG)).longValue()
                    + ((Number) pc.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).longValue();
            e.check(delivery >= needed, "kafka.properties.delivery.timeout.ms",
                    "must be >= linger.ms + request.timeout.ms (" + needed + "), was " + delivery);
            e.check(((Number) pc.get(ProducerConfig.BUFFER_MEMORY_CONFIG)).longValue() >= pool.capacityBytes(), "kafka.properties.buffer.memory",
                    "must be >= pool.capacityBytes (" + pool.capacityBytes() + ") so that sending never blocks");
        } catch (ConfigException ex) {
            e.add("kafka.properties", ex.getMessage());
        }
    }
}
